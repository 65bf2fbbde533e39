import pg from 'pg'
import type { RecoveryCluster } from './recovery-cluster.js'
import { tableSummary } from './reference.js'
import type { DrillCheck, MarkerCheck, SqlAssertion, TableReference } from './types.js'
import { newClient } from '../postgres/client.js'

async function withClient<T>(cluster: RecoveryCluster, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = newClient({ connectionString: cluster.urlFor(database) })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const failed = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Rows that must exist on one side of the target and must not on the other. */
export async function checkMarkers(cluster: RecoveryCluster, markers: MarkerCheck[], database: string): Promise<DrillCheck[]> {
  const checks: DrillCheck[] = []
  for (const [i, m] of markers.entries()) {
    const name = `marker: ${m.name ?? `#${i + 1}`}`
    try {
      const rows = await withClient(cluster, m.database ?? database, async (c) => (await c.query(m.sql)).rowCount ?? 0)
      const ok = m.expect === 'present' ? rows > 0 : rows === 0
      checks.push({ name, ok, detail: `expected ${m.expect}, query returned ${rows} row(s)` })
    } catch (error) {
      checks.push({ name, ok: false, detail: `query failed: ${failed(error)}` })
    }
  }
  return checks
}

/** User SQL whose first column of the first row must be true. */
export async function checkAssertions(cluster: RecoveryCluster, assertions: SqlAssertion[], database: string): Promise<DrillCheck[]> {
  const checks: DrillCheck[] = []
  for (const [i, a] of assertions.entries()) {
    const name = `assertion: ${a.name ?? `#${i + 1}`}`
    try {
      const row = await withClient(cluster, a.database ?? database, async (c) => (await c.query({ text: a.sql, rowMode: 'array' })).rows[0])
      const value = row?.[0]
      checks.push({ name, ok: value === true, detail: value === true ? 'true' : `returned ${JSON.stringify(value ?? null)}, expected true` })
    } catch (error) {
      checks.push({ name, ok: false, detail: `query failed: ${failed(error)}` })
    }
  }
  return checks
}

/** Per-table row counts and fingerprints against the reference taken on the source at the target. */
export async function checkReference(cluster: RecoveryCluster, reference: TableReference): Promise<DrillCheck[]> {
  try {
    return await compareReference(cluster, reference)
  } catch (error) {
    return [{ name: `reference: ${reference.database}`, ok: false, detail: `could not compare: ${failed(error)}` }]
  }
}

async function compareReference(cluster: RecoveryCluster, reference: TableReference): Promise<DrillCheck[]> {
  return withClient(cluster, reference.database, async (c) => {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const checks: DrillCheck[] = []
    for (const [table, want] of Object.entries(reference.tables)) {
      const name = `table: ${table}`
      try {
        const got = await tableSummary(c, table, want.fingerprint !== undefined)
        const rowsOk = got.rows === want.rows
        const fpOk = want.fingerprint === undefined || got.fingerprint === want.fingerprint
        const detail = !rowsOk ? `${got.rows} rows, reference ${want.rows}` : !fpOk ? `${got.rows} rows as expected but contents differ (fingerprint ${got.fingerprint} vs ${want.fingerprint})` : `${got.rows} rows${want.fingerprint ? ', fingerprint matches' : ''}`
        checks.push({ name, ok: rowsOk && fpOk, detail })
      } catch (error) {
        await c.query('ROLLBACK').catch(() => undefined)
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
        checks.push({ name, ok: false, detail: `could not read: ${failed(error)}` })
      }
    }
    await c.query('COMMIT')
    return checks
  })
}

/** amcheck's bt_index_check on every btree index of every database (after promotion: it needs CREATE EXTENSION). */
export async function checkIndexes(cluster: RecoveryCluster): Promise<DrillCheck[]> {
  const dbs = (await cluster.sql("SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1")).rows.map((r) => r.datname as string)
  const checks: DrillCheck[] = []
  for (const db of dbs) {
    const result = await withClient(cluster, db, async (c): Promise<{ ok: boolean; detail: string }> => {
      const had = (await c.query("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")).rowCount
      try {
        await c.query('CREATE EXTENSION IF NOT EXISTS amcheck')
      } catch (error) {
        return { ok: true, detail: `amcheck not available: ${failed(error)}` }
      }
      const idx = await c.query(`SELECT c.oid::regclass::text AS name, c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relpersistence <> 't' AND i.indisvalid AND i.indisready`)
      const bad: string[] = []
      for (const row of idx.rows) {
        try {
          await c.query('SELECT bt_index_check($1::regclass)', [row.oid])
        } catch (error) {
          bad.push(`${row.name}: ${failed(error)}`)
        }
      }
      // A restored copy handed on as a snapshot should look like the source: leave no extension behind.
      if (!had) await c.query('DROP EXTENSION amcheck').catch(() => undefined)
      return { ok: bad.length === 0, detail: bad.length ? bad.slice(0, 5).join('; ') : `${idx.rowCount} btree indexes consistent` }
    }).catch((error) => ({ ok: false, detail: `could not check: ${failed(error)}` }))
    checks.push({ name: `amcheck: ${db}`, ok: result.ok, detail: result.detail })
  }
  return checks
}

/** Data-checksum failures seen while the restored copy was read (only meaningful with data checksums on). */
export async function checkChecksums(cluster: RecoveryCluster): Promise<DrillCheck> {
  const on = (await cluster.sql('SHOW data_checksums')).rows[0].data_checksums === 'on'
  if (!on) return { name: 'data checksums', ok: true, detail: 'data checksums are off on this cluster; not checked' }
  const r = await cluster.sql('SELECT coalesce(sum(checksum_failures), 0)::int AS n FROM pg_stat_database')
  const n = r.rows[0].n as number
  return { name: 'data checksums', ok: n === 0, detail: n === 0 ? 'no checksum failures' : `${n} checksum failure(s) in pg_stat_database` }
}
