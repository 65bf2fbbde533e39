import pg from 'pg'
import { quoteIdent, quoteLiteral } from '../postgres/sql.js'
import { resolveKey } from './key.js'
import { buildPlan, connectOrThrow, loadRules, type PlannedTable, type RulesSource, type SanitizePlan } from './plan.js'
import { readCatalog } from './catalog.js'
import type { Leak, ScanSummary } from './report-types.js'
import { rowKeySql, tableSql } from './row-key.js'
import { FP_BYTES, prepareSession } from './sql-functions.js'
import { fingerprintTables } from './state.js'

/** Personal data that must not sit in a column marked keep. */
export const PII_PATTERNS: Record<string, string> = {
  email: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
  phone: String.raw`(?:\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4})|(?:\(\d{3}\)\s?\d{3}-\d{4})|(?:\m\d{3}[.-]\d{3}[.-]\d{4}\M)`,
  bcrypt: String.raw`\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}`,
  jwt: String.raw`eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}`,
  'api-key': String.raw`\m(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|\mAKIA[0-9A-Z]{16}\M|\mxox[abpr]-[A-Za-z0-9-]{10,}|\mgh[pousr]_[A-Za-z0-9]{20,}|\m(?:AC|SK|SM|MM)[0-9a-f]{32}\M`,
}

const LIMIT_PER_TABLE = 50
const isScannable = (category: string, typeName: string) => category === 'S' || typeName === 'json' || typeName === 'jsonb'

/** The text values of a column to search: the value itself, and for JSON each string leaf. */
function sources(column: string, typeName: string): string[] {
  const c = quoteIdent(column)
  if (typeName === 'json' || typeName === 'jsonb')
    return [`SELECT ${quoteLiteral(column)}, ${c}::text`, `SELECT ${quoteLiteral(column)}, j #>> '{}' FROM jsonb_path_query(${c}::jsonb, 'strict $.** ? (@.type() == "string")') j`]
  return [`SELECT ${quoteLiteral(column)}, ${c}::text`]
}

/**
 * Gathers the run's fingerprints of original values into the session's `kdb_fps`: free text and
 * JSON ones, the per-table whole-value tables (rows of concatenated fingerprints), and those the
 * fakes of the listed email columns carry (only fakes of the exact shape kdb_email writes).
 * Returns how many distinct fingerprints there are.
 */
async function loadFingerprints(client: pg.Client, columns: Set<string>): Promise<number> {
  const hasFps = (await client.query(`SELECT to_regclass('koinonia_sanitize.fingerprints') IS NOT NULL AS ok`)).rows[0].ok as boolean
  if (!hasFps) return 0
  const sources = ['SELECT fp FROM koinonia_sanitize.fingerprints']
  for (const t of await fingerprintTables(client))
    sources.push(`SELECT substr(f.fp, 1 + ${FP_BYTES} * i, ${FP_BYTES}) FROM ${t} f CROSS JOIN LATERAL generate_series(0, length(f.fp) / ${FP_BYTES} - 1) i`)
  const listed = await client.query('SELECT DISTINCT table_name, column_name FROM koinonia_sanitize.fingerprint_columns ORDER BY 1, 2')
    .catch(() => ({ rows: [] as { table_name: string; column_name: string }[] }))
  const fake = `^user_[0-9a-f]{${2 * FP_BYTES}}@`
  // A listed column dropped since the run has nothing left to read.
  for (const r of listed.rows.filter((x) => columns.has(`${x.table_name}.${x.column_name}`))) {
    const c = `${quoteIdent(r.column_name)}::text`
    sources.push(`SELECT decode(substr(${c}, ${'user_'.length + 1}, ${2 * FP_BYTES}), 'hex') FROM ${tableSql(r.table_name)} WHERE ${c} ~ ${quoteLiteral(fake)}`)
  }
  await client.query('DROP TABLE IF EXISTS kdb_fps')
  await client.query(`CREATE TEMP TABLE kdb_fps AS SELECT DISTINCT fp FROM (${sources.join(' UNION ALL ')}) s(fp)`)
  await client.query('ANALYZE kdb_fps')
  return Number((await client.query('SELECT count(*) AS n FROM kdb_fps')).rows[0].n)
}

/**
 * Searches the masked database: every text/varchar/json value (and each email or phone found
 * inside) is fingerprinted with the run's key and matched against the fingerprints of the original
 * values; columns marked keep are also searched for PII patterns. A hit names table, column and row.
 */
export async function scanWithClient(client: pg.Client, plan: SanitizePlan): Promise<{ leaks: Leak[]; summary: ScanSummary }> {
  const started = performance.now()
  const catalog = await readCatalog(client)
  const fingerprints = await loadFingerprints(client, new Set([...catalog.tables.values()].flatMap((t) => t.columns.map((c) => `${t.qualified}.${c.name}`))))
  const planned = new Map<string, PlannedTable>(plan.tables.map((t) => [t.table, t]))
  const leaks: Leak[] = []
  let columnsScanned = 0
  let rowsScanned = 0
  for (const t of catalog.tables.values()) {
    const text = t.columns.filter((c) => isScannable(c.type.category, c.type.typeName))
    if (!text.length) continue
    columnsScanned += text.length
    const key = rowKeySql(t.primaryKey, 't')
    if (fingerprints) {
      const parts = text.flatMap((c) => sources(c.name, c.type.typeName))
      // A semi-join, not `IN (subquery)`: with more fingerprints than work_mem holds, a hashed
      // subplan is not allowed and the planner would scan the whole set once per value.
      const { rows } = await client.query(`SELECT DISTINCT v.col, ${key} AS key FROM ${tableSql(t.qualified)} t
        CROSS JOIN LATERAL (${parts.join(' UNION ALL ')}) v(col, x) CROSS JOIN LATERAL pg_temp.kdb_fps(v.x) f(fp)
        WHERE v.x IS NOT NULL AND EXISTS (SELECT FROM kdb_fps k WHERE k.fp = f.fp) LIMIT ${LIMIT_PER_TABLE}`)
      for (const r of rows) leaks.push({ table: t.qualified, column: r.col, key: r.key, kind: 'original-value' })
    }
    const kept = new Set(planned.get(t.qualified)?.kept ?? t.columns.map((c) => c.name))
    const keptText = text.filter((c) => kept.has(c.name))
    if (keptText.length) {
      const patterns = Object.entries(PII_PATTERNS).map(([k, re]) => `(${quoteLiteral(k)}, ${quoteLiteral(re)})`).join(', ')
      const values = keptText.map((c) => `(${quoteLiteral(c.name)}, t.${quoteIdent(c.name)}::text)`).join(', ')
      const { rows } = await client.query(`SELECT DISTINCT v.col, ${key} AS key, p.kind FROM ${tableSql(t.qualified)} t
        CROSS JOIN LATERAL (VALUES ${values}) v(col, x) JOIN (VALUES ${patterns}) p(kind, re) ON v.x ~ p.re LIMIT ${LIMIT_PER_TABLE}`)
      for (const r of rows) leaks.push({ table: t.qualified, column: r.col, key: r.key, kind: `pattern:${r.kind}` })
    }
    rowsScanned += t.rowsEstimate
  }
  if (fingerprints) await client.query('DROP TABLE IF EXISTS kdb_fps')
  return { leaks, summary: { ran: true, fingerprints, columnsScanned, rowsScanned: Math.round(rowsScanned), durationMs: Math.round(performance.now() - started) } }
}

export interface ScanForLeaksOptions extends RulesSource {
  /** The masked copy (`--target`). */
  target: string
  keyEnv?: string
  env?: NodeJS.ProcessEnv
}

/**
 * The leak scan on its own (`sanitize scan`): fingerprints left by an unfinished or failed run are
 * searched with the same key; PII patterns are searched in every column the rules keep.
 * @example
 * const { leaks } = await scanForLeaks({ target: stagingUrl, rules: 'sanitize.yaml' })
 */
export async function scanForLeaks(options: ScanForLeaksOptions): Promise<{ leaks: Leak[]; summary: ScanSummary }> {
  const key = resolveKey(options.env ?? process.env, options.keyEnv)
  const rules = await loadRules(options)
  const client = new pg.Client({ connectionString: options.target })
  await connectOrThrow(client, options.target)
  try {
    const plan = buildPlan(await readCatalog(client), rules)
    await prepareSession(client, key)
    return await scanWithClient(client, plan)
  } finally {
    await client.end()
  }
}
