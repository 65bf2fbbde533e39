import type pg from 'pg'
import { KoinoniaError } from '../errors.js'
import { quoteIdent, quoteLiteral } from '../postgres/sql.js'
import type { PlannedColumn, PlannedTable } from './plan.js'
import { FP_BYTES, fingerprintKeySql } from './sql-functions.js'
import { streetLineSql } from './text-patterns.js'
import { joinedNamesSql } from './name-fingerprints.js'
import { hashCarriesFingerprint, hashLength } from './strategies/hash.js'
import { jsonLeavesSql, jsonPathsMaskedBy } from './strategies/jsonb-paths.js'
import { FP_TABLE_PREFIX } from './state.js'
import type { TableReport } from './report-types.js'
import { rowKeySql, tableSql } from './row-key.js'

/**
 * `rebuild` (default): the unique indexes rebuilt by the rewrite (or checked by the UPDATE, or at
 * COMMIT for a deferred constraint) are the check, inside the table's transaction: a collision rolls
 * it back, and only then are the colliding rows looked up for the report. No pass over the table is
 * spent on it when nothing collides.
 * `before`: also a GROUP BY over the masked values of each plain unique index, before any write.
 */
export type UniqueCheck = 'before' | 'rebuild'

/** A masked unique index would get two equal values: reported, and the table's transaction rolls back. */
export class CollisionError extends KoinoniaError {
  constructor(readonly table: string, readonly index: string, readonly columns: string[], readonly keys: string[]) {
    super('KDB_SANITIZE_COLLISION', 'input', `masking ${table} would give equal values in unique index ${index}${keys.length ? ` (rows ${keys.join('; ')})` : ''}`, {
      hint: 'Use an injective strategy (email, hash) for the columns of that index; nothing was written to the table.',
    })
  }
}

/**
 * A column whose fakes carry their originals' fingerprints (an email, see kdb_email; a hash in the
 * default domain, see kdb_hash_fp) and whose type holds the whole fake: the leak scan reads the
 * fingerprints from the masked values instead of the run hashing every original a second time. A
 * type that could cut or pad the fake is fingerprinted from the originals.
 */
export function fingerprintsReadBack(m: PlannedColumn): boolean {
  if (m.strategy === 'hash') {
    if (!hashCarriesFingerprint(m.params)) return false
    // The fingerprint sits at a fixed distance from the end of the fake: no blank padding allowed.
    const limit = /^character varying\((\d+)\)$/.exec(m.sqlType)
    return limit ? Number(limit[1]) >= Number(m.params.keep_prefix ?? 0) + hashLength(m.params) : ['text', 'character varying'].includes(m.sqlType)
  }
  if (m.strategy !== 'email') return false
  const needed = 'user_@'.length + 2 * FP_BYTES + String(m.params.domain ?? 'example.com').length
  const limit = /^(?:character varying|character|varchar|bpchar)\((\d+)\)$/.exec(m.sqlType)
  return limit ? Number(limit[1]) >= needed : ['text', 'character varying', 'citext', 'public.citext'].includes(m.sqlType)
}

/**
 * A masked value as it would be written in text, where the scan looks for it: an inet address
 * without the /32 (or /128) its text cast adds (`abbrev`), as a log line or a copied column holds it.
 */
function textForm(m: PlannedColumn): string {
  const column = quoteIdent(m.column)
  return m.sqlType === 'inet' ? `abbrev(${column})` : `${column}::text`
}

/**
 * Original values of the masked columns, as keyed fingerprints, for the leak scan after the run,
 * written in the table's transaction. Whole values cost one keyed SHA-256 each, stored as one row
 * per table row (the fingerprints concatenated) in a table of their own filled by CREATE TABLE AS:
 * bulk writes, since a row per value in a shared table costs more than the hashing. Email columns
 * cost nothing: they are only listed, and the scan reads the fingerprints from the fakes. Only free
 * text and JSON leaves pay for regex extraction.
 */
async function collectFingerprints(client: pg.Client, t: PlannedTable): Promise<void> {
  const scalars: { column: string; sql: string }[] = []
  const sets: string[] = []
  const inner: string[] = []
  for (const m of t.masked) {
    const c = textForm(m)
    if (fingerprintsReadBack(m))
      await client.query('INSERT INTO koinonia_sanitize.fingerprint_columns (table_name, column_name, hex_tail) VALUES ($1, $2, $3)', [t.table, m.column, m.strategy === 'hash' ? hashLength(m.params) : null])
    else if (m.fingerprint === 'value') scalars.push({ column: m.column, sql: `pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, ${c})` })
    else if (m.fingerprint === 'phone') scalars.push({ column: m.column, sql: `pg_temp.kdb_fp_phone_k(${fingerprintKeySql('tel:')}, ${c})` })
    // Free text that scrub masks: the emails, addresses, phones inside it, not the whole text (a
    // text with none of them stays as it was, and is no leak).
    if (m.fingerprint === 'text') inner.push(`SELECT ${c}`)
    const scrubbed = m.jsonPaths.length ? jsonPathsMaskedBy(m.params, 'scrub') : []
    for (const path of m.jsonPaths)
      (scrubbed.includes(path) ? inner : sets).push(jsonLeavesSql(m.column, path))
  }
  // An IPv4 client seen by a dual-stack server (`::ffff:203.0.113.7`, as Node writes it): its IPv4
  // address too, which a log line may hold on its own.
  for (const m of t.masked.filter((x) => x.strategy === 'ip'))
    scalars.push({ column: m.column, sql: `CASE WHEN btrim(${textForm(m)}) ~* '^::ffff:[0-9]+[.][0-9.]+$' THEN pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, substr(btrim(${textForm(m)}), 8)) END` })
  // An address: its street line too (before the first comma), which free text may hold.
  for (const m of t.masked.filter((x) => x.strategy === 'address'))
    scalars.push({ column: m.column, sql: `CASE WHEN strpos(${quoteIdent(m.column)}::text, ',') > 0 THEN pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, ${streetLineSql(`${quoteIdent(m.column)}::text`)}) END` })
  // A first and a last name column: the full name they make, which free text may hold.
  for (const j of joinedNamesSql(t.masked)) scalars.push({ column: j.column, sql: `pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, ${j.sql})` })
  // A fingerprint is NULL exactly when its value is: filtering on the columns (not on the
  // concatenation, which the planner would compute twice) keeps the rows with at least one.
  if (scalars.length) {
    const oid = (await client.query('SELECT $1::regclass::oid AS oid', [tableSql(t.table)])).rows[0].oid as number
    const target = `koinonia_sanitize.${quoteIdent(`${FP_TABLE_PREFIX}${oid}`)}`
    await client.query(`DROP TABLE IF EXISTS ${target}`)
    await withParallelPlans(client, () => client.query(`CREATE UNLOGGED TABLE ${target} AS
      SELECT ${scalars.map((x) => `coalesce(${x.sql}, '')`).join(' || ')} AS fp FROM ${tableSql(t.table)}
      WHERE ${scalars.map((x) => `${quoteIdent(x.column)} IS NOT NULL`).join(' OR ')}`))
  }
  for (const [texts, fps] of [[sets, 'kdb_fps'], [inner, 'kdb_inner_fps']] as const)
    if (texts.length)
      await client.query(`INSERT INTO koinonia_sanitize.fingerprints (fp)
        SELECT f FROM ${tableSql(t.table)} CROSS JOIN LATERAL (${texts.join(' UNION ALL ')}) v(x) CROSS JOIN LATERAL pg_temp.${fps}(v.x) f
        WHERE v.x IS NOT NULL`)
}

/**
 * Runs `statement` with parallel plans costed as free to start and to feed, then puts the two costs
 * back (for the rest of the table's transaction). The fingerprints are hashing, not row traffic:
 * the planner's default tuple cost keeps a 10 M-row hash pass serial although workers cut it by a
 * third to a half on two cores (docs/sanitize.md). Tables under `min_parallel_table_scan_size` and servers with
 * `max_parallel_workers_per_gather = 0` stay serial. The rewrite itself cannot run in parallel.
 */
export async function withParallelPlans<T>(client: pg.Client, statement: () => Promise<T>): Promise<T> {
  const before = (await client.query(`SELECT current_setting('parallel_setup_cost') AS setup, current_setting('parallel_tuple_cost') AS tuple,
    set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true)`)).rows[0]
  try {
    return await statement()
  } finally {
    await client.query(`SELECT set_config('parallel_setup_cost', $1, true), set_config('parallel_tuple_cost', $2, true)`, [before.setup, before.tuple]).catch(() => undefined)
  }
}

/** Before writing: any plain unique index whose masked values would collide fails the table. */
export async function checkCollisions(client: pg.Client, t: PlannedTable): Promise<void> {
  const exprs = new Map(t.masked.map((m) => [m.column, m.sql]))
  for (const u of t.uniqueChecks) {
    if (!u.columns) continue
    const values = u.columns.map((c) => exprs.get(c) ?? quoteIdent(c))
    const notNull = u.columns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ')
    const { rows } = await client.query(
      `SELECT array_agg(${rowKeySql(t.primaryKey)}) AS keys FROM ${tableSql(t.table)} WHERE ${notNull} GROUP BY ${values.join(', ')} HAVING count(*) > 1 LIMIT 3`,
    )
    if (rows.length) throw new CollisionError(t.table, u.index, u.columns, rows.flatMap((r) => (r.keys as string[]).slice(0, 2)))
  }
}

/** User triggers that are enabled, so an UPDATE does not fire audit or updated_at triggers. */
async function enabledTriggers(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal AND tgenabled = 'O'`, [tableSql(table)])
  return rows.map((r) => r.tgname as string)
}

/**
 * Masks one table inside the caller's transaction. `rewrite` is ALTER COLUMN … TYPE <same type>
 * USING <mask>: one heap rewrite with indexes rebuilt in bulk, while the table keeps its identity
 * (OID, grants, triggers, dependent FKs, sequences), unlike CREATE TABLE AS + rename.
 */
export async function maskTable(client: pg.Client, t: PlannedTable, report: TableReport, uniqueCheck: UniqueCheck = 'rebuild'): Promise<void> {
  const started = performance.now()
  let mark = started
  const lap = () => {
    const now = performance.now()
    const ms = Math.round(now - mark)
    mark = now
    return ms
  }
  const name = tableSql(t.table)
  const counts = t.masked.map((m, i) => `count(${quoteIdent(m.column)}) AS c${i}`)
  const stats = (await client.query(`SELECT count(*) AS rows, pg_table_size(${quoteLiteral(name)}::regclass) AS bytes${counts.map((c) => `, ${c}`).join('')} FROM ${name}`)).rows[0]
  report.rows = Number(stats.rows)
  report.bytes = Number(stats.bytes)
  t.masked.forEach((m, i) => {
    const col = report.columns.find((c) => c.name === m.column)!
    col.masked = Number(stats[`c${i}`])
    col.nullsKept = report.rows - col.masked
  })
  report.phases.statsMs = lap()
  await collectFingerprints(client, t)
  report.phases.fingerprintsMs = lap()
  try {
    if (uniqueCheck === 'before') await checkCollisions(client, t)
    report.phases.uniqueCheckMs = lap()
    if (t.method === 'rewrite') {
      const alters = t.masked.map((m) => `ALTER COLUMN ${quoteIdent(m.column)} TYPE ${m.sqlType}${m.collation ? ` COLLATE ${m.collation}` : ''} USING ${m.sql}`)
      await client.query(`ALTER TABLE ${name} ${alters.join(', ')}`)
    } else {
      const triggers = await enabledTriggers(client, t.table)
      for (const tg of triggers) await client.query(`ALTER TABLE ${name} DISABLE TRIGGER ${quoteIdent(tg)}`)
      await client.query(`UPDATE ${name} SET ${t.masked.map((m) => `${quoteIdent(m.column)} = ${m.sql}`).join(', ')}`)
      for (const tg of triggers) await client.query(`ALTER TABLE ${name} ENABLE TRIGGER ${quoteIdent(tg)}`)
    }
    report.phases.rewriteMs = lap()
  } catch (error) {
    const e = error as { code?: string; constraint?: string; detail?: string }
    // A unique expression or partial index the pre-check cannot evaluate: its rebuild is the check.
    if (e.code === '23505') throw new CollisionError(t.table, e.constraint ?? 'unknown', [], [])
    if (error instanceof CollisionError)
      for (const c of report.columns) if (error.columns.includes(c.name)) c.unique = 'collision'
    throw error
  }
  report.durationMs = performance.now() - started
  report.rowsPerSecond = report.rows / Math.max(report.durationMs / 1000, 1e-6)
  report.mibPerSecond = report.bytes / 1048576 / Math.max(report.durationMs / 1000, 1e-6)
}
