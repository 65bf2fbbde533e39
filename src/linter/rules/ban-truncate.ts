import { displayName } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { lockOf } from '../rule-helpers.js'
import type { AstNode } from '../types.js'

export const banTruncate = defineRule({
  id: 'ban-truncate',
  category: 'data',
  severity: 'error',
  docs: {
    summary: 'TRUNCATE on an existing table deletes every row.',
    why: 'All data of the table is gone, under an ACCESS EXCLUSIVE lock; with CASCADE also every table that references it.',
    safeAlternative: 'Delete the rows you mean to remove, in batches, after a backup; never CASCADE in a migration.',
    bad: 'TRUNCATE sessions CASCADE;',
  },
  check(stmt, ctx) {
    const node = stmt.TruncateStmt
    if (!node) return
    const tables = (node.relations ?? []).map((r: AstNode) => r.RangeVar).filter((r: AstNode) => r && !ctx.isNewTable(r))
    if (!tables.length) return
    const names = tables.map(displayName).join(', ')
    const cascade = node.behavior === 'DROP_CASCADE' ? ' CASCADE also empties every table with a foreign key to it.' : ''
    return {
      message: `TRUNCATE deletes every row of ${names}; it takes ${lockOf(ctx)}.${cascade}`,
      suggestion: `-- back up first (pg_dump -t ${displayName(tables[0])}), then delete what must go in batches:\nDELETE FROM ${displayName(tables[0])} WHERE ctid IN (SELECT ctid FROM ${displayName(tables[0])} WHERE /* condition */ true LIMIT 10000); -- koinonia-db-ignore ban-delete-rows: batch of a reviewed purge`,
    }
  },
})
