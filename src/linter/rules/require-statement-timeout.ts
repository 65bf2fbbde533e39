import { statementNode } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { isSlow } from '../migration-facts.js'
import { lockOf, withEnd } from '../rule-helpers.js'

export const requireStatementTimeout = defineRule({
  id: 'require-statement-timeout',
  category: 'lock',
  severity: 'warning',
  docs: {
    summary: 'Set statement_timeout before the first slow statement on an existing table.',
    why: 'A scan, rewrite or backfill that holds a blocking lock runs as long as the table is big; without statement_timeout nothing stops it from blocking traffic for minutes.',
    safeAlternative: "SET statement_timeout = '30s'; at the top of the migration; long work belongs in a batched job, not the migration.",
    bad: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);',
    good: "SET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);",
  },
  check(stmt, ctx) {
    if (!ctx.effects.table || ctx.isNewTable(ctx.effects.table)) return
    const kind = statementNode(stmt)[0]
    if (!isSlow(kind, ctx.effects) || ctx.facts.statementTimeout || ctx.facts.slowOnExisting > 0) return
    // A scan under SHARE UPDATE EXCLUSIVE (VALIDATE, CONCURRENTLY) blocks no traffic: a timeout would only abort it.
    if (ctx.effects.lock === 'SHARE UPDATE EXCLUSIVE') return
    return {
      message: `This reads every row of ${ctx.effects.tableName} holding ${lockOf(ctx)} with no statement_timeout set: nothing bounds how long it blocks.`,
      suggestion: `SET ${ctx.transaction === 'none' ? '' : 'LOCAL '}statement_timeout = '30s';\n${withEnd(ctx.statement.text, ';')}`,
    }
  },
})
