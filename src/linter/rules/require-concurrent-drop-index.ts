import { names, tableKey } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { aLock } from '../locks.js'
import { ident, ownMigrationNote } from '../rule-helpers.js'

export const requireConcurrentDropIndex = defineRule({
  id: 'require-concurrent-drop-index',
  category: 'index',
  severity: 'error',
  docs: {
    summary: 'DROP INDEX on an existing table must use CONCURRENTLY.',
    why: 'A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index\'s table: while it waits for running queries, every new read and write queues behind it.',
    safeAlternative: 'DROP INDEX CONCURRENTLY, outside a transaction block.',
    bad: 'DROP INDEX users_email_idx;',
    good: 'DROP INDEX CONCURRENTLY users_email_idx;',
  },
  check(stmt, ctx) {
    const node = stmt.DropStmt
    if (!node || node.removeType !== 'OBJECT_INDEX' || node.concurrent) return
    const indexes = (node.objects ?? []).map((o: { List?: { items?: never[] } }) => names(o.List?.items))
    const tables = indexes.map((parts: string[]) => ctx.facts.createdIndexes.get(tableKey(parts.join('.'))))
    if (tables.every((t: string | undefined) => t && ctx.isNewTable(t))) return
    const shown = indexes.map((parts: string[]) => parts.map(ident).join('.'))
    // Postgres refuses CONCURRENTLY for several indexes at once or with CASCADE.
    const fix = shown.map((name: string) => `DROP INDEX CONCURRENTLY ${node.missing_ok ? 'IF EXISTS ' : ''}${name};`).join('\n')
    return {
      message: `DROP INDEX ${shown.join(', ')} takes ${aLock('ACCESS EXCLUSIVE', "the index's table")}; queued behind running queries it stalls all traffic to the table.`,
      suggestion: `${fix}${ownMigrationNote(ctx)}`,
    }
  },
})
