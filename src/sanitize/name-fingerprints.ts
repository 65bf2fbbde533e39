import type pg from 'pg'
import { quoteIdent } from '../postgres/sql.js'
import type { PlannedColumn, PlannedTable, SanitizePlan } from './plan.js'
import { tableSql } from './row-key.js'
import { jsonLeavesSql, jsonPathsMaskedBy } from './strategies/jsonb-paths.js'
import { fingerprintKeySql, NAME_FPS_TABLE, STREET_FPS_TABLE, streetLineSql } from './sql-functions.js'

const namePart = (masked: readonly PlannedColumn[], part: string) =>
  masked.filter((m) => m.strategy === 'name' && String(m.params.part ?? 'full') === part).map((m) => m.column)

/**
 * The full names a table's first- and last-name columns make, each first-name column with each
 * last-name column joined by a space, as SQL (NULL when either is): `column` is the first-name one.
 */
export function joinedNamesSql(masked: readonly PlannedColumn[]): { column: string; sql: string }[] {
  const lasts = namePart(masked, 'last')
  return namePart(masked, 'first').flatMap((f) => lasts.map((l) => ({ column: f, sql: `btrim(${quoteIdent(f)}::text) || ' ' || btrim(${quoteIdent(l)}::text)` })))
}

/** Whether a column's mask runs `scrub`, on the whole value or at a JSON path; `names`: looking for names. */
const scrubs = (m: PlannedColumn, names = false) => (m.sql.includes('pg_temp.kdb_scrub(') && (!names || m.params.names !== false)) || m.sql.includes(`'scrub'`)

/**
 * Before the run masks any table, when it scrubs free text: the fingerprints of the full names its
 * masked name columns hold (two words or more, blanks made single spaces; full-name columns, first
 * with last name columns, JSON leaves), and of the street lines its address columns hold
 * (collectStreetLines), so that `scrub` can find them in text (kdb_scrub). Tables masked by an
 * earlier run are skipped: their originals are gone, and that run filled the tables. They are
 * logged tables, so a crash keeps them for the rerun; the leak scan reads them too.
 */
export async function collectNameFingerprints(client: pg.Client, plan: SanitizePlan, alreadyMasked: ReadonlySet<string>, onStart?: () => void): Promise<void> {
  const todo = plan.tables.filter((t) => !alreadyMasked.has(t.table))
  if (!todo.some((t) => t.masked.some((m) => scrubs(m)))) return
  onStart?.()
  await collectStreetLines(client, todo)
  if (!todo.some((t) => t.masked.some((m) => scrubs(m, true)))) return
  await client.query(`CREATE TABLE IF NOT EXISTS ${NAME_FPS_TABLE} (fp bytea PRIMARY KEY)`)
  for (const t of todo) {
    const names = fullNamesSql(t)
    if (!names.length) continue
    await client.query(`INSERT INTO ${NAME_FPS_TABLE} (fp)
      SELECT DISTINCT pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, regexp_replace(btrim(v.n), '\\s+', ' ', 'g'))
      FROM ${tableSql(t.table)} CROSS JOIN LATERAL (${names.join(' UNION ALL ')}) v(n)
      WHERE v.n ~ '[[:alpha:]]\\s+[[:alpha:]]' ON CONFLICT DO NOTHING`)
  }
}

/** The full names of a table's row, as SELECTs of text: name columns, first with last, JSON leaves masked by `name`. */
function fullNamesSql(t: PlannedTable): string[] {
  return [
    ...namePart(t.masked, 'full').map((c) => `SELECT ${quoteIdent(c)}::text`),
    ...joinedNamesSql(t.masked).map((j) => `SELECT ${j.sql}`),
    ...t.masked.flatMap((m) => (m.jsonPaths.length ? jsonPathsMaskedBy(m.params, 'name').map((path) => jsonLeavesSql(m.column, path)) : [])),
  ]
}

/**
 * The street lines the address strategy masks (before the first comma), by fingerprint, with the
 * street line of each one's fake, so that `scrub` replaces them in text by what the column got.
 */
async function collectStreetLines(client: pg.Client, todo: readonly PlannedTable[]): Promise<void> {
  const columns = todo.flatMap((t) => t.masked.filter((m) => m.strategy === 'address').map((m) => ({ table: t.table, c: `${quoteIdent(m.column)}::text` })))
  if (!columns.length) return
  await client.query(`CREATE TABLE IF NOT EXISTS ${STREET_FPS_TABLE} (fp bytea PRIMARY KEY, fake text NOT NULL)`)
  for (const { table, c } of columns)
    await client.query(`INSERT INTO ${STREET_FPS_TABLE} (fp, fake)
      SELECT DISTINCT ON (fp) fp, fake FROM (SELECT pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, ${streetLineSql(c)}) AS fp,
        btrim(split_part(pg_temp.kdb_address(${c}), ',', 1)) AS fake FROM ${tableSql(table)} WHERE ${c} ~ '^\\s*[0-9]+\\s+[[:alpha:]]') s
      ORDER BY fp, fake ON CONFLICT DO NOTHING`)
}
