import { displayName } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { lockRank } from '../locks.js'
import { lockOf } from '../rule-helpers.js'
import type { AstNode } from '../types.js'

export const banLockTable = defineRule({
  id: 'ban-lock-table',
  category: 'lock',
  severity: 'error',
  docs: {
    summary: 'An explicit LOCK TABLE blocks traffic until the transaction ends.',
    why: 'LOCK TABLE without a mode takes ACCESS EXCLUSIVE; any mode from SHARE up blocks writes. The lock is held to COMMIT, across every later statement of the migration.',
    safeAlternative: 'Let each statement take the lock it needs, with lock_timeout set; if you must lock, use the weakest mode and keep the transaction short.',
    bad: 'LOCK TABLE users;',
  },
  check(stmt, ctx) {
    const node = stmt.LockStmt
    if (!node || lockRank(ctx.effects.lock) < lockRank('SHARE')) return
    const tables = (node.relations ?? []).map((r: AstNode) => r.RangeVar).filter((r: AstNode) => r && !ctx.isNewTable(r))
    if (!tables.length) return
    return {
      severity: ctx.effects.lock === 'ACCESS EXCLUSIVE' ? undefined : 'warning',
      message: `LOCK TABLE ${tables.map(displayName).join(', ')} takes ${lockOf(ctx)} held until the transaction ends.`,
      suggestion: `SET LOCAL lock_timeout = '5s';\n-- drop the LOCK TABLE and let each statement take its own lock; keep the transaction short`,
    }
  },
})
