import { defineRule } from '../define-rule.js'
import { lockOf } from '../rule-helpers.js'

export const requireConcurrentRefresh = defineRule({
  id: 'require-concurrent-refresh',
  category: 'lock',
  severity: 'error',
  docs: {
    summary: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view for the whole refresh.',
    why: 'A plain refresh rebuilds the view under an ACCESS EXCLUSIVE lock: every SELECT on it waits until the query behind it finishes.',
    safeAlternative: 'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view; allows reads, blocks only other refreshes and writes to the view).',
    bad: 'REFRESH MATERIALIZED VIEW daily_totals;',
    good: 'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;',
  },
  check(stmt, ctx) {
    const node = stmt.RefreshMatViewStmt
    if (!node || node.concurrent || node.skipData || ctx.isNewTable(node.relation)) return
    const view = ctx.name(node.relation)
    return {
      message: `REFRESH MATERIALIZED VIEW ${view} recomputes it under ${lockOf(ctx)}: every read of the view waits.`,
      suggestion: `REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}; -- needs a unique index on the view; outside a transaction-heavy migration`,
    }
  },
})
