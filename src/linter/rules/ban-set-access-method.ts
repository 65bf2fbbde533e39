import { defineRule } from '../define-rule.js'
import { alterCmds, lockOf } from '../rule-helpers.js'

export const banSetAccessMethod = defineRule({
  id: 'ban-set-access-method',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'ALTER TABLE ... SET ACCESS METHOD rewrites the table under an ACCESS EXCLUSIVE lock (PG >= 15).',
    why: 'Every row is copied into the new table access method while reads and writes wait.',
    safeAlternative: 'Create a new table USING the access method, copy in batches, swap names in a short transaction.',
    bad: 'ALTER TABLE events SET ACCESS METHOD columnar;',
  },
  pg: { min: 15 },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_SetAccessMethod')
    if (!found?.cmds.length || ctx.isNewTable(found.alter.relation)) return
    const table = ctx.name(found.alter.relation)
    const method = found.cmds[0].name ?? 'DEFAULT'
    return {
      message: `SET ACCESS METHOD ${method} rewrites every row of ${table} under ${lockOf(ctx)}.`,
      suggestion: `-- create the new table USING ${method}, copy rows in batches, swap names in one short transaction:\n-- CREATE TABLE <new> (LIKE ${table} INCLUDING ALL) USING ${method};`,
    }
  },
})
