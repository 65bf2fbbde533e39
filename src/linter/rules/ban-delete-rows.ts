import { defineRule } from '../define-rule.js'

export const banDeleteRows = defineRule({
  id: 'ban-delete-rows',
  category: 'data',
  severity: 'error',
  docs: {
    summary: 'DELETE in a migration destroys data of an existing table.',
    why: 'Rows are gone for every environment the migration reaches; a DELETE without WHERE empties the table while row locks block concurrent updates of the same rows.',
    safeAlternative: 'Back up what is deleted; delete in batches of bounded size, each in its own transaction.',
    bad: 'DELETE FROM sessions;',
  },
  check(stmt, ctx) {
    const node = stmt.DeleteStmt
    if (!node || ctx.isNewTable(node.relation)) return
    const table = ctx.name(node.relation)
    const all = !node.whereClause
    return {
      severity: all ? undefined : 'warning',
      message: all
        ? `DELETE without WHERE removes every row of ${table}, holding a row lock on each until the transaction ends.`
        : `DELETE removes rows of ${table} in every environment this migration reaches; the rows stay locked until the transaction ends.`,
      suggestion: `-- back up the rows first, then delete in batches of bounded size, one transaction each:\nDELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE /* condition */ true LIMIT 10000); -- koinonia-db-ignore ban-delete-rows: reviewed purge, backed up`,
    }
  },
})
