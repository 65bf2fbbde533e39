import { names } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { deploys, ident, lockOf } from '../rule-helpers.js'

export const banDropTable = defineRule({
  id: 'ban-drop-table',
  category: 'drop',
  severity: 'error',
  docs: {
    summary: 'Dropping an existing table loses its data and breaks clients that still use it.',
    why: 'Every row is gone; code deployed before the drop fails on every query of the table.',
    safeAlternative: 'Stop using the table in the application first, keep a backup, then drop it in a later deploy with a reviewed ignore comment.',
    bad: 'DROP TABLE sessions;',
    good: '-- koinonia-db-ignore ban-drop-table: unused since release 42, backed up to s3://...\nDROP TABLE sessions;',
  },
  check(stmt, ctx) {
    const node = stmt.DropStmt
    if (!node || !['OBJECT_TABLE', 'OBJECT_MATVIEW'].includes(node.removeType)) return
    const parts: string[][] = (node.objects ?? []).map((o: { List?: { items?: unknown[] } }) => names(o.List?.items as never))
    const existing = parts.filter((p) => !ctx.isNewTable(p.join('.'))).map((p) => p.map(ident).join('.'))
    if (!existing.length) return
    const cascade = node.behavior === 'DROP_CASCADE' ? ' CASCADE also drops the views and foreign keys that depend on it.' : ''
    return {
      message: `Dropping ${existing.join(', ')} deletes its data and breaks clients still using it; it takes ${lockOf(ctx)}.${cascade}`,
      suggestion: deploys([
        'remove every use of the table from the application and deploy that',
        'back it up (pg_dump -t) if the data may be needed again',
        `drop it, with the reason on record:\n-- koinonia-db-ignore ban-drop-table: <why nothing uses it>\nDROP TABLE ${existing.join(', ')};`,
      ]),
    }
  },
})
