import { statementNode } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { isDdl } from '../migration-facts.js'

export const requireAtomicPrismaMigration = defineRule({
  id: 'require-atomic-prisma-migration',
  category: 'transaction',
  severity: 'warning',
  docs: {
    summary: 'Prisma >= 7.4 runs migration.sql statement by statement: several changes to existing tables are not atomic.',
    why: 'If a later statement fails, the earlier ones stay applied; the migration is marked failed and must be resolved by hand (prisma migrate resolve) with the schema half-changed.',
    safeAlternative: 'Wrap the statements in BEGIN; ... COMMIT; (unless one needs CONCURRENTLY: then give that one its own migration), or make each statement idempotent (IF NOT EXISTS / IF EXISTS).',
    bad: 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "Post" DROP COLUMN "legacy";',
    good: 'BEGIN;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "Post" DROP COLUMN "legacy";\nCOMMIT;',
    exampleOptions: { prisma: true, prismaVersion: '7.4.0' },
  },
  check(stmt, ctx) {
    if (ctx.prisma?.mode !== 'per-statement' || ctx.transaction !== 'none') return
    const kind = statementNode(stmt)[0]
    if (!isDdl(kind) || !ctx.effects.table || ctx.isNewTable(ctx.effects.table)) return
    // Fire once, on the second change to an existing table: that is where a failure leaves a half-applied migration.
    if (ctx.facts.ddlOnExistingTables !== 1) return
    if (ctx.statements.some((s) => s.kind === 'TransactionStmt')) return
    return {
      message: `Prisma ${ctx.prisma.version ?? '>= 7.4'} runs each statement on its own: if this or a later statement fails, the earlier changes to existing tables stay applied and the migration must be resolved by hand.`,
      suggestion: 'BEGIN;\n-- the statements of this migration\nCOMMIT;',
    }
  },
})
