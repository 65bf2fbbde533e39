import type pg from 'pg'
import { KoinoniaError } from '../errors.js'
import { quoteIdent } from '../postgres/sql.js'
import type { CatalogForeignKey } from './catalog.js'
import { checkCollisions, CollisionError, maskTable, type UniqueCheck } from './mask-table.js'
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
  uniqueCheck: UniqueCheck
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
    for (const t of run.tables) if (t.method !== 'none') await maskTable(client, t, run.reports.get(t.table)!, run.uniqueCheck)
    for (const fk of run.foreignKeys) await client.query(`ALTER TABLE ${tableSql(fk.table)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`)
    for (const t of run.tables) await markMasked(client, { table: t.table, keyId: run.keyId, runId: run.runId, rows: run.reports.get(t.table)!.rows })
    await client.query('COMMIT')
    for (const t of run.tables) {
      const r = run.reports.get(t.table)!
      r.status = t.method === 'none' ? 'nothing-to-mask' : 'masked'
      run.onTable?.(r)
    }
  } catch (caught) {
    await client.query('ROLLBACK').catch(() => undefined)
    const error = await nameCollidingRows(client, run, caught)
    const e = error as { code?: string; message?: string }
    const code = error instanceof KoinoniaError ? error.code : e.code === '57014' ? 'KDB_SANITIZE_CANCELLED' : `PG_${e.code ?? 'ERROR'}`
    for (const t of run.tables) {
      const r = run.reports.get(t.table)!
      r.status = 'failed'
      r.error = { code, message: e.message ?? String(error) }
      run.onTable?.(r)
    }
  }
  // Only the masked columns changed (a type change drops just their statistics); the sample read
  // also refreshes the table's row count.
  for (const t of run.tables)
    if (run.reports.get(t.table)!.status === 'masked' && t.masked.length)
      await client.query(`ANALYZE ${tableSql(t.table)} (${t.masked.map((m) => quoteIdent(m.column)).join(', ')})`).catch(() => undefined)
}

/**
 * After a collision found by an index rebuild, an UPDATE or a deferred constraint at COMMIT (all
 * rolled back by now): the same GROUP BY as the `before` check names the rows.
 */
async function nameCollidingRows(client: pg.Client, run: GroupRun, caught: unknown): Promise<unknown> {
  const e = caught as { code?: string; constraint?: string; schema?: string; table?: string }
  const error = e.code === '23505' && !(caught instanceof CollisionError) && e.schema && e.table
    ? new CollisionError(`${e.schema}.${e.table}`, e.constraint ?? 'unknown', [], [])
    : caught
  if (!(error instanceof CollisionError) || error.keys.length) return error
  const table = run.tables.find((t) => t.table === error.table)
  if (!table) return error
  try {
    await checkCollisions(client, table)
  } catch (named) {
    if (named instanceof CollisionError) {
      for (const c of run.reports.get(table.table)!.columns) if (named.columns.includes(c.name)) c.unique = 'collision'
      return named
    }
  }
  return error
}
