import { defineRule } from '../define-rule.js'
import { lockOf } from '../rule-helpers.js'

export const banCluster = defineRule({
  id: 'ban-cluster',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'CLUSTER rewrites the whole table in index order under an ACCESS EXCLUSIVE lock.',
    why: 'Every row is copied and every index rebuilt while reads and writes wait.',
    safeAlternative: 'pg_repack --order-by reorders a table online; or skip it: the order decays with updates anyway.',
    bad: 'CLUSTER events USING events_created_at_idx;',
  },
  check(stmt, ctx) {
    const node = stmt.ClusterStmt
    if (!node || (node.relation && ctx.isNewTable(node.relation))) return
    const table = node.relation ? ctx.name(node.relation) : 'every previously clustered table'
    return {
      message: `CLUSTER rewrites ${table} and rebuilds its indexes under ${lockOf(ctx, 'ACCESS EXCLUSIVE', node.relation ? table : undefined)}.`,
      suggestion: `-- reorder online instead, outside the migration:\n-- pg_repack --table ${table}${node.indexname ? ` --order-by <columns of ${node.indexname}>` : ''}`,
    }
  },
})
