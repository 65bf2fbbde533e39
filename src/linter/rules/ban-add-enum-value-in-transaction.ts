import { names } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { ident, transactionPlace } from '../rule-helpers.js'

export const banAddEnumValueInTransaction = defineRule({
  id: 'ban-add-enum-value-in-transaction',
  category: 'transaction',
  severity: 'error',
  docs: {
    summary: 'Before PG 12, ALTER TYPE ... ADD VALUE cannot run inside a transaction block.',
    why: 'Postgres 11 and older reject it with "ALTER TYPE ... ADD cannot run inside a transaction block", so the migration fails.',
    safeAlternative: 'Run ALTER TYPE ... ADD VALUE in a migration of its own, outside BEGIN ... COMMIT (for Prisma < 7.4: as the only statement of its migration.sql).',
    bad: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;",
    good: "ALTER TYPE status ADD VALUE 'archived';",
  },
  pg: { max: 11 },
  check(stmt, ctx) {
    const node = stmt.AlterEnumStmt
    if (!node?.newVal || ctx.transaction === 'none') return
    if (ctx.transaction === 'implicit' && ctx.statements.length === 1) return
    const type = names(node.typeName).map(ident).join('.')
    return {
      message: `ALTER TYPE ${type} ADD VALUE fails ${transactionPlace(ctx)} on PG ${ctx.pgVersion} (allowed from PG 12).`,
      suggestion: `-- in a migration of its own, outside a transaction block:\nALTER TYPE ${type} ADD VALUE '${String(node.newVal).replace(/'/g, "''")}';`,
    }
  },
})
