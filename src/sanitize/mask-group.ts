import type pg from 'pg'
import { KoinoniaError } from '../errors.js'
import { quoteIdent } from '../postgres/sql.js'
import type { CatalogForeignKey } from './catalog.js'
import { maskTable } from './mask-table.js'
import type { PlannedTable } from './plan.js'
import type { TableReport } from './report-types.js'
import { tableSql } from './row-key.js'
import { markMasked } from './state.js'

export interface GroupRun {
  tables: PlannedTable[]
  /** Foreign keys over masked columns inside this group. */
  foreignKeys: CatalogForeignKey[]
  reports: Map<string, TableReport>
  keyId: string
  runId: string
  onTable?: (report: TableReport) => void
}

/**
 * One transaction for a group of tables linked by masked foreign keys (usually a single table):
 * the whole group is masked or, on any error or a killed process, left untouched. The foreign keys
 * are dropped first and re-added, validated, at the end: proof that every reference still joins.
 */
export async function maskGroup(client: pg.Client, run: GroupRun): Promise<void> {
  const names = [...run.tables.map((t) => t.table)].sort()
  try {
    await client.query('BEGIN')
    await client.query(`LOCK TABLE ${names.map(tableSql).join(', ')} IN ACCESS EXCLUSIVE MODE`)
    for (const fk of run.foreignKeys) await client.query(`ALTER TABLE ${tableSql(fk.table)} DROP CONSTRAINT ${quoteIdent(fk.name)}`)
    for (const t of run.tables) if (t.method !== 'none') await maskTable(client, t, run.reports.get(t.table)!)
    for (const fk of run.foreignKeys) await client.query(`ALTER TABLE ${tableSql(fk.table)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`)
    for (const t of run.tables) await markMasked(client, { table: t.table, keyId: run.keyId, runId: run.runId, rows: run.reports.get(t.table)!.rows })
    await client.query('COMMIT')
    for (const t of run.tables) {
      const r = run.reports.get(t.table)!
      r.status = t.method === 'none' ? 'nothing-to-mask' : 'masked'
      run.onTable?.(r)
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    const e = error as { code?: string; message?: string }
    const code = error instanceof KoinoniaError ? error.code : e.code === '57014' ? 'KDB_SANITIZE_CANCELLED' : `PG_${e.code ?? 'ERROR'}`
    for (const t of run.tables) {
      const r = run.reports.get(t.table)!
      r.status = 'failed'
      r.error = { code, message: e.message ?? String(error) }
      run.onTable?.(r)
    }
  }
  for (const t of run.tables) if (run.reports.get(t.table)!.status === 'masked') await client.query(`ANALYZE ${tableSql(t.table)}`).catch(() => undefined)
}
