import { defineRule } from '../define-rule.js'
import { ident } from '../rule-helpers.js'
import { type NewColumn, newColumnsWhere, replaceTypes } from '../type-text.js'

const isJson = (c: NewColumn): boolean => c.type === 'json'

export const preferJsonb = defineRule({
  id: 'prefer-jsonb',
  category: 'style',
  severity: 'warning',
  docs: {
    summary: 'Prefer jsonb over json.',
    why: 'json has no equality operator: SELECT DISTINCT, GROUP BY and UNION on a row with a json column fail ("could not identify an equality operator for type json"), and it cannot be indexed with GIN. strong_migrations flags it for this reason.',
    safeAlternative: 'jsonb.',
    bad: 'ALTER TABLE users ADD COLUMN settings json;',
    good: 'ALTER TABLE users ADD COLUMN settings jsonb;',
  },
  check(stmt, ctx) {
    const hits = newColumnsWhere(stmt, isJson)
    if (!hits.length) return
    return {
      message: `${hits.map((c) => ident(c.name)).join(', ')} ${hits.length > 1 ? 'use' : 'uses'} json, which has no equality operator: DISTINCT, GROUP BY and UNION over these rows fail.`,
      suggestion: replaceTypes(ctx.statement, hits.map((c) => ({ typeName: c.typeName, to: 'jsonb' }))),
    }
  },
})
