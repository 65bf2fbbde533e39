import type pg from 'pg'
import { tableExists } from '../postgres/table-exists.js'
import { quoteIdent, quoteLiteral } from '../postgres/sql.js'
import { resolveKey } from './key.js'
import { buildPlan, connectTarget, loadRules, type PlannedColumn, type PlannedTable, type RulesSource, type SanitizePlan } from './plan.js'
import { readCatalog, type CatalogColumn, type CatalogTable } from './catalog.js'
import type { Leak, ScanSummary } from './report-types.js'
import { rowKeySql, tableSql } from './row-key.js'
import { ADDRESS_FAKE_RE, NAME_FAKE_RE } from './fake-words.js'
import { fingerprintKeySql, FP_BYTES, NAME_FPS_TABLE, PERSON_NAMES_TABLE, prepareSession, STREET_FPS_TABLE } from './sql-functions.js'
import { tokensSql } from './text-tokens.js'
import { personLeakSql, type PersonLink } from './person-names.js'
import type { SanitizeKey } from './key.js'
import { planChunks, type ScanChunk } from './scan-chunks.js'
import { runOnConnections } from './run-on-connections.js'
import { fingerprintTables, stateTables } from './state.js'

/** Personal data that must not sit in a column marked keep. */
export const PII_PATTERNS: Record<string, string> = {
  email: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
  phone: String.raw`(?:\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4})|(?:\(\d{3}\)\s?\d{3}-\d{4})|(?:\m\d{3}[.-]\d{3}[.-]\d{4}\M)`,
  bcrypt: String.raw`\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}`,
  jwt: String.raw`eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}`,
  'api-key': String.raw`\m(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|\mAKIA[0-9A-Z]{16}\M|\mxox[abpr]-[A-Za-z0-9-]{10,}|\mgh[pousr]_[A-Za-z0-9]{20,}|\m(?:AC|SK|SM|MM)[0-9a-f]{32}\M`,
}

const LIMIT_PER_TABLE = 50
const isScannableType = (category: string, typeName: string) => category === 'S' || typeName === 'json' || typeName === 'jsonb'

/**
 * The text values of a column to search (the value itself, and for JSON each string leaf), with
 * what `m`, its mask, says of them: whether to look for full names inside (`names`, in free text,
 * not in the fakes of a column masked otherwise), which fakes to leave out (whole values and name
 * runs; private addresses where the ip strategy or scrub wrote them; phones where the phone
 * strategy or scrub did).
 */
function sources(column: string, typeName: string, m: PlannedColumn | undefined, search: Search): string[] {
  const c = quoteIdent(column)
  const fake = fakesOf(m)
  const scrubbed = m?.fingerprint === 'text'
  const head = `SELECT ${quoteLiteral(column)}, ${search.names && holdsFreeText(m)}, ${fake === null ? 'NULL::text' : quoteLiteral(fake)}, ${m?.strategy === 'ip' || scrubbed}, ${m?.strategy === 'phone' || scrubbed}, ${search.streets && holdsFreeText(m)}, ${scrubbed}`
  if (typeName === 'json' || typeName === 'jsonb')
    return [`${head}, ${c}::text`, `${head}, j #>> '{}' FROM jsonb_path_query(${c}::jsonb, 'strict $.** ? (@.type() == "string")') j`]
  return [`${head}, ${c}::text`]
}

/** What the scan looks for besides values, emails, addresses and phones: decided once per scan. */
interface Search {
  /** Full names in free text: a name column was masked. */
  names: boolean
  /** Street lines in free text: an address column was masked. */
  streets: boolean
  /** Each scrub `names_of` text's own person: the run took their names (person_names exists). */
  persons: boolean
}

/** Free text, where a full name can stand: a column kept, scrubbed, masked at JSON paths only, or not in the rules. */
function holdsFreeText(m: PlannedColumn | undefined): boolean {
  return !m || m.fingerprint === 'text' || m.fingerprint === 'json'
}

/** What the phone strategy writes: digits, after a + when the original had a country code (kdb_phone). */
const PHONE_FAKE_RE = '^\\+?[0-9]+$'

/** What the ip strategy writes in a text column: an address in 10/8 or fd00::/8 (kdb_ip_text). */
const IP_FAKE_RE = '^(?:10\\.|fd[0-9a-f]{2}:)'

/**
 * The fakes a mask may have written in a column (a regex), which the scan must not take for the
 * real value they can equal: a name column's own fakes (2,500 common full names), an ip column's
 * private addresses, a phone column's numbers, an address column's street addresses; in scrubbed
 * text and JSON, full-name fakes. A real value that happens to be one of them is then not reported
 * there.
 */
function fakesOf(m: PlannedColumn | undefined): string | null {
  if (m?.strategy === 'name') return NAME_FAKE_RE[String(m.params.part ?? 'full') as keyof typeof NAME_FAKE_RE] ?? null
  if (m?.strategy === 'ip') return IP_FAKE_RE
  if (m?.strategy === 'phone') return PHONE_FAKE_RE
  if (m?.strategy === 'address') return ADDRESS_FAKE_RE
  return m && holdsFreeText(m) ? NAME_FAKE_RE.full : null
}

/**
 * Gathers the run's fingerprints of original values into the table `into`: free text and JSON
 * ones, the per-table whole-value tables (rows of concatenated fingerprints), and those the fakes
 * of the listed email columns carry (only fakes of the exact shape kdb_email writes).
 * Returns how many distinct fingerprints there are.
 */
async function loadFingerprints(client: pg.Client, columns: Set<string>, into: string): Promise<number> {
  if (!(await tableExists(client, 'koinonia_sanitize.fingerprints'))) return 0
  const sources = ['SELECT fp FROM koinonia_sanitize.fingerprints']
  // Full names and street lines taken before masking (also in the per-table fingerprints).
  for (const t of [NAME_FPS_TABLE, STREET_FPS_TABLE])
    if (await tableExists(client, t)) sources.push(`SELECT fp FROM ${t}`)
  for (const t of await fingerprintTables(client))
    sources.push(`SELECT substr(f.fp, 1 + ${FP_BYTES} * i, ${FP_BYTES}) FROM ${t} f CROSS JOIN LATERAL generate_series(0, length(f.fp) / ${FP_BYTES} - 1) i`)
  // hex_tail through to_jsonb: a state table written before that column existed still reads.
  const listed = await client.query(`SELECT DISTINCT table_name, column_name, (to_jsonb(f) ->> 'hex_tail')::int AS hex_tail
    FROM koinonia_sanitize.fingerprint_columns f ORDER BY 1, 2, 3`)
    .catch(() => ({ rows: [] as { table_name: string; column_name: string; hex_tail: number | null }[] }))
  const fake = `^user_[0-9a-f]{${2 * FP_BYTES}}@`
  // A listed column dropped since the run has nothing left to read.
  for (const r of listed.rows.filter((x) => columns.has(`${x.table_name}.${x.column_name}`))) {
    const c = `${quoteIdent(r.column_name)}::text`
    if (r.hex_tail === null)
      sources.push(`SELECT decode(substr(${c}, ${'user_'.length + 1}, ${2 * FP_BYTES}), 'hex') FROM ${tableSql(r.table_name)} WHERE ${c} ~ ${quoteLiteral(fake)}`)
    else // A hash fake: the kept prefix, then hex_tail hex digits that start with the fingerprint.
      sources.push(`SELECT decode(substr(${c}, length(${c}) - ${Number(r.hex_tail) - 1}, ${2 * FP_BYTES}), 'hex') FROM ${tableSql(r.table_name)} WHERE ${c} ~ ${quoteLiteral(`[0-9a-f]{${Number(r.hex_tail)}}$`)}`)
  }
  // A plain (unlogged) table, not a temp one: every connection of a parallel scan reads it.
  await client.query(`DROP TABLE IF EXISTS ${into}`)
  await client.query(`CREATE UNLOGGED TABLE ${into} AS SELECT DISTINCT fp FROM (${sources.join(' UNION ALL ')}) s(fp)`)
  await client.query(`ANALYZE ${into}`)
  return Number((await client.query(`SELECT count(*) AS n FROM ${into}`)).rows[0].n)
}

export interface ScanParallelism {
  /** The database again, for the extra connections; without it the scan runs on `client` alone. */
  target?: string
  /** Connections scanning at once (default 2); big tables are split into block ranges between them. */
  jobs?: number
  key?: SanitizeKey
  /** Smallest block range worth a connection of its own (tests make it tiny). */
  chunkPages?: number
}

/**
 * Searches the masked database: every text/varchar/json value (and each email or phone found
 * inside) is fingerprinted with the run's key and matched against the fingerprints of the original
 * values; columns marked keep are also searched for PII patterns. A hit names table, column and row.
 * Tables, and block ranges of big tables, are scanned on up to `jobs` connections at once.
 */
export async function scanWithClient(client: pg.Client, plan: SanitizePlan, parallel: ScanParallelism = {}): Promise<{ leaks: Leak[]; summary: ScanSummary }> {
  const started = performance.now()
  const catalog = await readCatalog(client)
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
  const fpsTable = `koinonia_sanitize.${quoteIdent(`scan_fps_${pid}`)}`
  try {
    await dropStaleScanTables(client)
    const fingerprints = await loadFingerprints(client, new Set([...catalog.tables.values()].flatMap((t) => t.columns.map((c) => `${t.qualified}.${c.name}`))), fpsTable)
    const planned = new Map<string, PlannedTable>(plan.tables.map((t) => [t.table, t]))
    const session = parallel.target && parallel.key ? { target: parallel.target, key: parallel.key } : null
    const jobs = session ? Math.max(1, parallel.jobs ?? 2) : 1
    const searched = (t: CatalogTable) => t.columns.filter((c) => isScannable(c) && !planned.get(t.qualified)?.unscanned?.includes(c.name))
    const chunks = await planChunks(client, [...catalog.tables.values()].filter((t) => searched(t).length), jobs, parallel.chunkPages)
    // Full names and street lines are looked for in free text only when a name or address column
    // was masked (~15 µs a text).
    const masks = (strategy: string) => plan.tables.some((t) => t.masked.some((m) => m.strategy === strategy))
    const search: Search = { names: masks('name'), streets: masks('address'), persons: await tableExists(client, PERSON_NAMES_TABLE) }
    const found = await runOnConnections(chunks, { session, jobs, first: client, size: (c) => c.pages }, (c, chunk) => scanChunk(c, chunk, planned, fingerprints ? fpsTable : null, search))
    const leaks = capPerTable(found.flat())
    const scanned = new Set(chunks.map((c) => c.table))
    return {
      leaks,
      summary: {
        ran: true, fingerprints, columnsScanned: [...scanned].reduce((n, t) => n + searched(t).length, 0),
        rowsScanned: Math.round([...scanned].reduce((n, t) => n + t.rowsEstimate, 0)), durationMs: Math.round(performance.now() - started),
      },
    }
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${fpsTable}`).catch(() => undefined)
  }
}

/** A scan killed before its cleanup left its fingerprint table: the next scan drops it. */
async function dropStaleScanTables(client: pg.Client): Promise<void> {
  const stale = await stateTables(client, '^scan_fps_[0-9]+$', 'substr(c.relname, 10)::int NOT IN (SELECT pid FROM pg_stat_activity)')
  if (stale.length) await client.query(`DROP TABLE IF EXISTS ${stale.join(', ')}`)
}

const isScannable = (c: CatalogColumn) => isScannableType(c.type.category, c.type.typeName)

/** One table or block range: values fingerprinted and matched, kept columns searched for patterns. */
async function scanChunk(client: pg.Client, chunk: ScanChunk, planned: Map<string, PlannedTable>, fpsTable: string | null, search: Search): Promise<Leak[]> {
  const t = chunk.table
  const unscanned = new Set(planned.get(t.qualified)?.unscanned)
  const text = t.columns.filter((c) => isScannable(c) && !unscanned.has(c.name))
  const key = rowKeySql(t.primaryKey, 't')
  const range = chunk.range ? ` AND t.ctid >= '(${chunk.range[0]},0)'::tid${chunk.range[1] === null ? '' : ` AND t.ctid < '(${chunk.range[1]},0)'::tid`}` : ''
  const leaks: Leak[] = []
  if (fpsTable) {
    const masked = (column: string) => planned.get(t.qualified)?.masked.find((m) => m.column === column)
    const parts = text.flatMap((c) => sources(c.name, c.type.typeName, masked(c.name), search))
    const fk = fingerprintKeySql()
    // A semi-join, not `IN (subquery)`: with more fingerprints than work_mem holds, a hashed
    // subplan is not allowed and the planner would scan the whole set once per value.
    const { rows } = await client.query(`SELECT DISTINCT v.col, ${key} AS key FROM ${tableSql(t.qualified)} t
      CROSS JOIN LATERAL (${parts.join(' UNION ALL ')}) v(col, names, fake, addresses, phones, streets, scrubbed, x)
      CROSS JOIN LATERAL (${tokensSql('v.x', { names: 'v.names', fake: 'v.fake', fakeAddresses: 'v.addresses', fakePhones: 'v.phones', streets: 'v.streets', fakeStreets: 'v.scrubbed' })}) f(tok)
      WHERE v.x IS NOT NULL${range} AND EXISTS (SELECT FROM ${fpsTable} k WHERE k.fp = pg_temp.kdb_fp_k(${fk}, f.tok)) LIMIT ${LIMIT_PER_TABLE}`)
    for (const r of rows) leaks.push({ table: t.qualified, column: r.col, key: r.key, kind: 'original-value' })
  }
  // Texts about a person (scrub's names_of): that person's own first or last name, alone too.
  const personal = (planned.get(t.qualified)?.masked ?? []).filter((m): m is PlannedColumn & { person: PersonLink } => !!m.person)
  if (search.persons)
    for (const m of personal) {
      const { rows } = await client.query(`SELECT ${key} AS key FROM ${tableSql(t.qualified)} t WHERE ${personLeakSql(m)}${range} LIMIT ${LIMIT_PER_TABLE}`)
      for (const r of rows) leaks.push({ table: t.qualified, column: m.column, key: r.key, kind: 'original-value' })
    }
  const kept = new Set(planned.get(t.qualified)?.kept ?? t.columns.map((c) => c.name))
  const keptText = text.filter((c) => kept.has(c.name))
  if (keptText.length) {
    const patterns = Object.entries(PII_PATTERNS).map(([k, re]) => `(${quoteLiteral(k)}, ${quoteLiteral(re)})`).join(', ')
    const values = keptText.map((c) => `(${quoteLiteral(c.name)}, t.${quoteIdent(c.name)}::text)`).join(', ')
    const { rows } = await client.query(`SELECT DISTINCT v.col, ${key} AS key, p.kind FROM ${tableSql(t.qualified)} t
      CROSS JOIN LATERAL (VALUES ${values}) v(col, x) JOIN (VALUES ${patterns}) p(kind, re) ON v.x ~ p.re WHERE true${range} LIMIT ${LIMIT_PER_TABLE}`)
    for (const r of rows) leaks.push({ table: t.qualified, column: r.col, key: r.key, kind: `pattern:${r.kind}` })
  }
  return leaks
}

/** Chunks of one table may each find up to the limit: keep the first LIMIT_PER_TABLE per table and kind of search. */
function capPerTable(leaks: Leak[]): Leak[] {
  const seen = new Set<string>()
  const count = new Map<string, number>()
  return leaks.filter((l) => {
    const id = `${l.table}\0${l.column}\0${l.key}\0${l.kind}`
    const group = `${l.table}\0${l.kind === 'original-value'}`
    if (seen.has(id) || (count.get(group) ?? 0) >= LIMIT_PER_TABLE) return false
    seen.add(id)
    count.set(group, (count.get(group) ?? 0) + 1)
    return true
  })
}

export interface ScanForLeaksOptions extends RulesSource {
  /** The masked copy (`--target`). */
  target: string
  /** Connections scanning at once (default 2). */
  jobs?: number
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
  const client = await connectTarget(options.target)
  try {
    const plan = buildPlan(await readCatalog(client), rules)
    await prepareSession(client, key)
    return await scanWithClient(client, plan, { target: options.target, jobs: options.jobs, key })
  } finally {
    await client.end()
  }
}
