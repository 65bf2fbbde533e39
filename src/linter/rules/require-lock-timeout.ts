import { defineRule } from '../define-rule.js'
import { lockOf, withEnd } from '../rule-helpers.js'

export const requireLockTimeout = defineRule({
  id: 'require-lock-timeout',
  category: 'lock',
  severity: 'warning',
  docs: {
    summary: 'Set lock_timeout before the first statement that takes an ACCESS EXCLUSIVE lock on an existing table.',
    why: 'A lock request waits behind every running query on the table, and every query that arrives after it queues behind the request: one long SELECT turns a millisecond ALTER into an outage. lock_timeout makes the migration fail fast instead, so it can be retried.',
    safeAlternative: "SET lock_timeout = '5s'; (or SET LOCAL inside a transaction) at the top of the migration, and retry on timeout.",
    bad: 'ALTER TABLE users ADD COLUMN bio text;',
    good: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN bio text;",
  },
  check(stmt, ctx) {
    if (ctx.effects.lock !== 'ACCESS EXCLUSIVE' || !ctx.effects.table || ctx.isNewTable(ctx.effects.table)) return
    // Once per file: the first such statement is where the timeout has to be set.
    if (ctx.facts.lockTimeout || ctx.facts.accessExclusiveOnExisting > 0) return
    return {
      message: `This takes ${lockOf(ctx)} with no lock_timeout set: waiting behind a long query, it queues every read and write of ${ctx.effects.tableName} behind itself.`,
      suggestion: `SET ${ctx.transaction === 'none' ? '' : 'LOCAL '}lock_timeout = '5s';\n${withEnd(ctx.statement.text, ';')}`,
    }
  },
})
