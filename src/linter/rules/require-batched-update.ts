import { withEnd } from '../rule-helpers.js'
import { defineRule } from '../define-rule.js'

export const requireBatchedUpdate = defineRule({
  id: 'require-batched-update',
  category: 'data',
  severity: 'error',
  docs: {
    summary: 'UPDATE without WHERE on an existing table rewrites every row in one transaction.',
    why: 'Every row gets a new version while its row lock is held to the end of the transaction: concurrent writes to any row wait, the table and its indexes bloat, and replicas lag.',
    safeAlternative: 'Backfill in batches by key range, one transaction per batch, outside the schema migration.',
    bad: 'UPDATE users SET active = true;',
    good: "UPDATE users SET active = true WHERE id BETWEEN 1 AND 10000 AND active IS NULL;",
  },
  check(stmt, ctx) {
    const node = stmt.UpdateStmt
    if (!node || node.whereClause || node.fromClause?.length || ctx.isNewTable(node.relation)) return
    const table = ctx.name(node.relation)
    return {
      message: `UPDATE without WHERE rewrites every row of ${table} in one transaction, holding a row lock on each until it ends: concurrent writes wait and the table bloats.`,
      suggestion: `-- outside the schema migration, one transaction per key range ($1..$2), e.g. 10,000 rows each:\n${withEnd(ctx.statement.text, '')} WHERE id BETWEEN $1 AND $2;`,
    }
  },
})
