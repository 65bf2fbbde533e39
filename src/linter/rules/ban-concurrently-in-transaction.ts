import { statementNode } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { cannotRunConcurrently, transactionPlace, withEnd } from '../rule-helpers.js'
import type { AstNode } from '../types.js'

/** What the statement runs CONCURRENTLY, if anything. */
function concurrentOperation(stmt: AstNode): string | undefined {
  const kindAndNode = statementNode(stmt)
  const kind = kindAndNode[0]
  const node = kindAndNode[1]
  if (kind === 'IndexStmt' && node.concurrent) return 'CREATE INDEX CONCURRENTLY'
  if (kind === 'DropStmt' && node.removeType === 'OBJECT_INDEX' && node.concurrent) return 'DROP INDEX CONCURRENTLY'
  if (kind === 'ReindexStmt' && (node.params ?? []).some((p: AstNode) => p.DefElem?.defname === 'concurrently')) return 'REINDEX CONCURRENTLY'
  if (kind === 'AlterTableStmt' && (node.cmds ?? []).some((c: AstNode) => c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def?.PartitionCmd?.concurrent))
    return 'DETACH PARTITION CONCURRENTLY'
  return undefined
}

const OWN = '-- a migration of its own (for Prisma: a migration folder whose migration.sql holds only this statement):'
/** assumeInTransaction: each tool's way to run one migration outside its transaction. */
const WRAPPED = "-- a migration of its own, run outside the tool's transaction (Flyway: executeInTransaction=false; knex: config = { transaction: false }; node-pg-migrate: pgm.noTransaction(); Rails: disable_ddl_transaction!; Django: atomic = False):"

export const banConcurrentlyInTransaction = defineRule({
  id: 'ban-concurrently-in-transaction',
  category: 'transaction',
  severity: 'error',
  docs: {
    summary: 'CONCURRENTLY operations fail inside a transaction block.',
    why: 'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY wait for other transactions between phases, so Postgres refuses them in BEGIN ... COMMIT — and in a multi-statement query string, which is how Prisma before 7.4 sends migration.sql.',
    safeAlternative: 'Put the statement in a migration of its own, outside BEGIN ... COMMIT; for Prisma < 7.4 it must be the only statement of its migration.sql.',
    bad: 'BEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;',
    good: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
  },
  check(stmt, ctx) {
    const operation = concurrentOperation(stmt)
    if (!operation || !cannotRunConcurrently(ctx)) return
    const prisma = ctx.transaction === 'implicit' ? ' Prisma < 7.4 sends the whole file as one query, so it must be the only statement of its migration.sql.' : ''
    return {
      message: `${operation} fails ${transactionPlace(ctx)} ("cannot run inside a transaction block").${prisma}`,
      suggestion: `${ctx.facts.transactionAssumed ? WRAPPED : OWN}\n${withEnd(ctx.statement.text, ';')}`,
    }
  },
})
