import { laterStatement, withEnd } from '../rule-helpers.js'
import { defineRule } from '../define-rule.js'

const ENDS = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED'])

export const banUncommittedTransaction = defineRule({
  id: 'ban-uncommitted-transaction',
  category: 'transaction',
  severity: 'error',
  docs: {
    summary: 'A BEGIN without a matching COMMIT leaves the transaction open.',
    why: 'Depending on the runner the migration is rolled back at disconnect, or the session stays idle in transaction holding every lock it took.',
    safeAlternative: 'End the file with COMMIT;',
    bad: 'BEGIN;\nALTER TABLE users ADD COLUMN bio text;',
    good: 'BEGIN;\nALTER TABLE users ADD COLUMN bio text;\nCOMMIT;',
  },
  check(stmt, ctx) {
    const node = stmt.TransactionStmt
    if (!node || !['TRANS_STMT_BEGIN', 'TRANS_STMT_START'].includes(node.kind) || ctx.transaction === 'explicit') return
    if (laterStatement(ctx, (s) => s.kind === 'TransactionStmt' && ENDS.has(s.stmt.TransactionStmt.kind))) return
    return {
      message: 'This BEGIN is never committed: the migration either rolls back at disconnect or stays idle in transaction, holding its locks.',
      suggestion: `${withEnd(ctx.statement.text, ';')}\n-- the migration\nCOMMIT;`,
    }
  },
})
