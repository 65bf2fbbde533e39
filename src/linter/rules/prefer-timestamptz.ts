import { defineRule } from '../define-rule.js'
import { ident } from '../rule-helpers.js'
import { type NewColumn, newColumnsWhere, replaceTypes } from '../type-text.js'
import { typeModsOf } from '../ast.js'

const isTimestamp = (c: NewColumn): boolean => c.type === 'timestamp'

export const preferTimestamptz = defineRule({
  id: 'prefer-timestamptz',
  category: 'style',
  severity: 'warning',
  docs: {
    summary: 'Prefer timestamptz over timestamp without time zone.',
    why: 'timestamp drops the UTC offset: values written from sessions in different time zones cannot be compared, and converting the column later rewrites the table unless the session time zone is UTC.',
    safeAlternative: 'timestamptz (timestamp with time zone).',
    bad: 'CREATE TABLE events (at timestamp);',
    good: 'CREATE TABLE events (at timestamptz);',
  },
  check(stmt, ctx) {
    const hits = newColumnsWhere(stmt, isTimestamp)
    if (!hits.length) return
    return {
      message: `${hits.map((c) => ident(c.name)).join(', ')} ${hits.length > 1 ? 'use' : 'uses'} timestamp without time zone: the offset is lost and values from sessions in different time zones do not compare.`,
      suggestion: replaceTypes(ctx.statement, hits.map((c) => {
        const mods = typeModsOf(c.typeName)
        return { typeName: c.typeName, to: `timestamptz${mods.length ? `(${mods[0]})` : ''}` }
      })),
    }
  },
})
