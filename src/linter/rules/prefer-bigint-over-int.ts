import { defineRule } from '../define-rule.js'
import { ident } from '../rule-helpers.js'
import { type NewColumn, newColumnsWhere, replaceTypes } from '../type-text.js'

const SMALL: Record<string, string> = { int4: 'bigint', int2: 'bigint', serial: 'bigserial', serial4: 'bigserial', smallserial: 'bigserial', serial2: 'bigserial' }

const isSmallKey = (c: NewColumn): boolean => c.primaryKey && SMALL[c.type] !== undefined

export const preferBigintOverInt = defineRule({
  id: 'prefer-bigint-over-int',
  category: 'style',
  severity: 'warning',
  docs: {
    summary: 'New primary keys should be bigint, not integer or smallint.',
    why: 'A 32-bit key runs out at 2.1 billion; widening it later rewrites the table and every referencing table under ACCESS EXCLUSIVE locks.',
    safeAlternative: 'bigint (bigint GENERATED ALWAYS AS IDENTITY).',
    bad: 'CREATE TABLE users (id serial PRIMARY KEY);',
    good: 'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
  },
  check(stmt, ctx) {
    const hits = newColumnsWhere(stmt, isSmallKey)
    if (!hits.length) return
    return {
      message: `Primary key ${hits.map((c) => ident(c.name)).join(', ')} is 32-bit or smaller: it runs out at 2.1 billion rows, and widening it later rewrites this table and every table referencing it.`,
      suggestion: replaceTypes(ctx.statement, hits.map((c) => ({ typeName: c.typeName, to: SMALL[c.type] }))),
    }
  },
})
