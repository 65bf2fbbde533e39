import type pg from 'pg'
import { quoteIdent } from '../postgres/sql.js'
import type { PlannedColumn, PlannedTable } from './plan.js'
import { tableSql } from './row-key.js'
import { jsonLeavesSql, jsonPathsMaskedBy } from './strategies/jsonb-paths.js'
import { fingerprintKeySql, NAME_FPS_TABLE } from './sql-functions.js'

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

/** Whether a column's rule runs `scrub`, on the whole value or at a JSON path; `names`: looking for names. */
export const scrubs = (m: PlannedColumn, names = false) =>
  (m.strategy === 'scrub' && (!names || m.params.names !== false)) || jsonPathsMaskedBy(m.params, 'scrub').length > 0

/**
 * Before the run masks any table, when it scrubs free text looking for names: the fingerprints of
 * the full names its masked name columns hold (two words or more, blanks made single spaces;
 * full-name columns, first with last name columns, JSON leaves), so that `scrub` can find them in
 * text (kdb_scrub). Tables masked by an earlier run are skipped: their originals are gone, and that
 * run filled the table. It is a logged table, so a crash keeps it for the rerun; the leak scan
 * reads it too. `todo`: the tables not masked yet.
 */
export async function collectNameFingerprints(client: pg.Client, todo: readonly PlannedTable[]): Promise<void> {
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
