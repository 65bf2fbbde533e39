import { defineRule } from '../define-rule.js'
import { cannotRunConcurrently, transactionPlace } from '../rule-helpers.js'

export const banVacuumInTransaction = defineRule({
  id: 'ban-vacuum-in-transaction',
  category: 'transaction',
  severity: 'error',
  docs: {
    summary: 'VACUUM fails inside a transaction block.',
    why: 'Postgres refuses VACUUM in BEGIN ... COMMIT and in a multi-statement query string (Prisma < 7.4), so the migration aborts.',
    safeAlternative: 'Run VACUUM on its own, outside the migration, or as the only statement of its migration; ANALYZE alone is allowed in a transaction.',
    bad: 'BEGIN;\nVACUUM users;\nCOMMIT;',
    good: 'ANALYZE users;',
  },
  check(stmt, ctx) {
    const node = stmt.VacuumStmt
    if (!node?.is_vacuumcmd || !cannotRunConcurrently(ctx)) return
    const analyze = (node.options ?? []).some((o: { DefElem?: { defname?: string } }) => o.DefElem?.defname === 'analyze')
    const rels = ctx.statement.text.replace(/^VACUUM\s*(\([^)]*\)|FULL|FREEZE|VERBOSE|ANALYZE|\s)*/i, '').replace(/;?\s*$/, '')
    return {
      message: `VACUUM fails ${transactionPlace(ctx)} ("VACUUM cannot run inside a transaction block").`,
      suggestion: analyze ? `ANALYZE ${rels};`.replace(' ;', ';') + '\n-- and VACUUM outside the migration' : `-- outside the migration, or as the only statement of its own migration:\n-- ${ctx.statement.text}`,
    }
  },
})
