import { withEnd } from '../rule-helpers.js'
import { statementNode, tableKey } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { describeLock, lockRank } from '../locks.js'
import { isSlow } from '../migration-facts.js'

export const banLockHeldAcrossSlowWork = defineRule({
  id: 'ban-lock-held-across-slow-work',
  category: 'lock',
  severity: 'error',
  docs: {
    summary: 'A strong lock taken earlier in the transaction is held through this slow statement.',
    why: 'Locks are released only at COMMIT. An ACCESS EXCLUSIVE (or SHARE and stronger) lock taken by a quick statement keeps blocking that table while a later statement scans, rewrites, builds an index or backfills — Prisma < 7.4 runs the whole file as one transaction.',
    safeAlternative: 'Split the migration: commit the quick lock-taking change first, run the slow work in its own transaction (or CONCURRENTLY, outside any).',
    bad: 'BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nUPDATE orders SET plan = \'free\';\nCOMMIT;',
    good: 'ALTER TABLE users ADD COLUMN plan text;\n-- next migration:\nUPDATE orders SET plan = \'free\' WHERE id BETWEEN 1 AND 10000;',
  },
  check(stmt, ctx) {
    const held = ctx.facts.strongLock
    if (ctx.transaction === 'none' || !held || !ctx.effects.table || ctx.isNewTable(ctx.effects.table)) return
    const kind = statementNode(stmt)[0]
    if (!isSlow(kind, ctx.effects)) return
    const sameTable = tableKey(ctx.effects.table) === held.table
    // On the same table, the statement's own lock already blocks as much: nothing is added.
    if (sameTable && lockRank(ctx.effects.lock) >= lockRank(held.lock)) return
    const where = ctx.transaction === 'implicit' ? 'Prisma runs this migration.sql as one transaction, so' : 'inside this transaction'
    const work = ctx.effects.rewrite ? 'rewrites' : kind === 'UpdateStmt' || kind === 'DeleteStmt' ? 'updates rows of' : 'scans'
    return {
      message: `${where} the ${describeLock(held.lock, held.tableName)} taken by statement ${held.statement + 1} is held while this statement ${work} ${ctx.effects.tableName}.`,
      suggestion: `COMMIT; -- end the transaction that holds the ${held.lock} lock on ${held.tableName} (for Prisma: move this statement to the next migration)\n${withEnd(ctx.statement.text, ';')}`,
    }
  },
})
