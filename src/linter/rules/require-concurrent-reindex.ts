import { displayName } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { ident, lockOf, ownMigrationNote } from '../rule-helpers.js'

const KINDS: Record<string, string> = {
  REINDEX_OBJECT_INDEX: 'INDEX', REINDEX_OBJECT_TABLE: 'TABLE', REINDEX_OBJECT_SCHEMA: 'SCHEMA',
  REINDEX_OBJECT_DATABASE: 'DATABASE', REINDEX_OBJECT_SYSTEM: 'SYSTEM',
}

export const requireConcurrentReindex = defineRule({
  id: 'require-concurrent-reindex',
  category: 'index',
  severity: 'error',
  docs: {
    summary: 'REINDEX without CONCURRENTLY blocks writes to the table and reads that use the index.',
    why: 'REINDEX locks the table SHARE (writes wait) and each index ACCESS EXCLUSIVE (reads that use it wait) for the whole rebuild. PG 12 added REINDEX CONCURRENTLY; before it, build a new index concurrently and swap.',
    safeAlternative: 'PG >= 12: REINDEX ... CONCURRENTLY outside a transaction. PG 11: CREATE INDEX CONCURRENTLY a copy, DROP INDEX CONCURRENTLY the old one, rename the copy.',
    bad: 'REINDEX TABLE users;',
    good: 'REINDEX TABLE CONCURRENTLY users;',
  },
  check(stmt, ctx) {
    const node = stmt.ReindexStmt
    if (!node) return
    if ((node.params ?? []).some((p: { DefElem?: { defname?: string } }) => p.DefElem?.defname === 'concurrently')) return
    if (node.relation && ctx.isNewTable(node.relation)) return
    const kind = KINDS[node.kind] ?? 'TABLE'
    const target = node.relation ? displayName(node.relation) : ident(node.name ?? '')
    const message = `REINDEX ${kind} ${target} rebuilds under ${lockOf(ctx)}: writes, and reads that use the index, wait for the whole rebuild.`
    if (ctx.pgVersion >= 12)
      return { message, suggestion: `REINDEX ${kind} CONCURRENTLY ${target};${ownMigrationNote(ctx)}` }
    return {
      message: `${message} PG ${ctx.pgVersion} has no REINDEX CONCURRENTLY.`,
      suggestion: [
        `-- PG ${ctx.pgVersion} has no REINDEX CONCURRENTLY; for each index of ${target}, outside a transaction block:`,
        '-- CREATE INDEX CONCURRENTLY idx_new ON <table> (<same definition as idx>);',
        '-- DROP INDEX CONCURRENTLY idx;',
        '-- ALTER INDEX idx_new RENAME TO idx;',
      ].join('\n'),
    }
  },
})
