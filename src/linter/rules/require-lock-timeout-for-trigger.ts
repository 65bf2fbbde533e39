import { defineRule } from '../define-rule.js'
import { lockOf, withEnd } from '../rule-helpers.js'

export const requireLockTimeoutForTrigger = defineRule({
  id: 'require-lock-timeout-for-trigger',
  category: 'lock',
  severity: 'warning',
  docs: {
    summary: 'CREATE TRIGGER on an existing table takes a SHARE ROW EXCLUSIVE lock: set lock_timeout first.',
    why: 'The lock is brief, but while it waits behind a long query every write to the table queues behind it.',
    safeAlternative: "SET lock_timeout = '5s'; before CREATE TRIGGER, and retry on timeout.",
    bad: 'CREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();',
    good: "SET lock_timeout = '5s';\nCREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();",
  },
  check(stmt, ctx) {
    const node = stmt.CreateTrigStmt
    if (!node || ctx.isNewTable(node.relation) || ctx.facts.lockTimeout) return
    return {
      message: `CREATE TRIGGER takes ${lockOf(ctx)} with no lock_timeout set: queued behind a long query it stalls every write to ${ctx.name(node.relation)}.`,
      suggestion: `SET ${ctx.transaction === 'none' ? '' : 'LOCAL '}lock_timeout = '5s';\n${withEnd(ctx.statement.text, ';')}`,
    }
  },
})
