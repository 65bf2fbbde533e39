import { defineRule } from '../define-rule.js'

export const banTransactionNesting = defineRule({
  id: 'ban-transaction-nesting',
  category: 'transaction',
  severity: 'error',
  docs: {
    summary: 'BEGIN inside an open transaction does not nest.',
    why: 'Postgres only warns "there is already a transaction in progress" and the first COMMIT then commits everything, so the statements after it run outside the transaction you think they are in.',
    safeAlternative: 'One BEGIN ... COMMIT per migration; use SAVEPOINT for nested units.',
    bad: 'BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;',
  },
  check(stmt, ctx) {
    const node = stmt.TransactionStmt
    if (!node || !['TRANS_STMT_BEGIN', 'TRANS_STMT_START'].includes(node.kind) || ctx.transaction !== 'explicit') return
    return {
      message: 'BEGIN inside an open transaction is ignored (with a warning): the first COMMIT ends both, and the statements after it run outside any transaction.',
      suggestion: 'SAVEPOINT nested; -- or remove this BEGIN and its COMMIT',
    }
  },
})
