import type pg from 'pg'
import { quoteIdent } from '../postgres/sql.js'
import type { PlannedTable } from './plan.js'
import { tableSql } from './row-key.js'
import { fingerprintKeySql, STREET_FPS_TABLE } from './sql-functions.js'
import { streetLineSql } from './text-patterns.js'

/**
 * Before the run masks any table, when it scrubs free text: the street lines its address columns
 * hold (before the first comma), by fingerprint, with the street line of each one's fake, so that
 * `scrub` replaces them in text by what the column got. `todo`: the tables not masked yet.
 */
export async function collectStreetLines(client: pg.Client, todo: readonly PlannedTable[]): Promise<void> {
  const columns = todo.flatMap((t) => t.masked.filter((m) => m.strategy === 'address').map((m) => ({ table: t.table, c: `${quoteIdent(m.column)}::text` })))
  if (!columns.length) return
  await client.query(`CREATE TABLE IF NOT EXISTS ${STREET_FPS_TABLE} (fp bytea PRIMARY KEY, fake text NOT NULL)`)
  for (const { table, c } of columns)
    await client.query(`INSERT INTO ${STREET_FPS_TABLE} (fp, fake)
      SELECT DISTINCT ON (fp) fp, fake FROM (SELECT pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, ${streetLineSql(c)}) AS fp,
        btrim(split_part(pg_temp.kdb_address(${c}), ',', 1)) AS fake FROM ${tableSql(table)} WHERE ${c} ~ '^\\s*[0-9]+\\s+[[:alpha:]]') s
      ORDER BY fp, fake ON CONFLICT DO NOTHING`)
}
