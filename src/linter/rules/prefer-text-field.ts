import { defineRule } from '../define-rule.js'
import { type NewColumn, newColumnsWhere, replaceTypes } from '../type-text.js'
import { ident } from '../rule-helpers.js'
import { typeModsOf } from '../ast.js'

const isLimitedVarchar = (c: NewColumn): boolean => c.type === 'varchar' && typeModsOf(c.typeName).length > 0

export const preferTextField = defineRule({
  id: 'prefer-text-field',
  category: 'style',
  severity: 'warning',
  docs: {
    summary: 'Prefer text (with a CHECK on the length if needed) over varchar(n).',
    why: 'Raising the limit later is cheap, but lowering it or changing it to something else rewrites the table under an ACCESS EXCLUSIVE lock; a CHECK constraint can be replaced NOT VALID online.',
    safeAlternative: 'text, plus CHECK (char_length(col) <= n) if the limit matters.',
    bad: 'CREATE TABLE users (name varchar(100));',
    good: 'CREATE TABLE users (name text CHECK (char_length(name) <= 100));',
  },
  check(stmt, ctx) {
    const hits = newColumnsWhere(stmt, isLimitedVarchar)
    if (!hits.length) return
    return {
      message: `${hits.map((c) => ident(c.name)).join(', ')} ${hits.length > 1 ? 'use' : 'uses'} varchar(n): changing the limit later may rewrite the table; text with a CHECK on the length can be changed online.`,
      suggestion: replaceTypes(ctx.statement, hits.map((c) => ({ typeName: c.typeName, to: 'text' }))),
    }
  },
})
