import pg from 'pg'
import { quoteIdent, quoteQualified } from '../postgres/sql.js'
import type { TableReference } from './types.js'
import { newClient } from '../postgres/client.js'

export interface CaptureReferenceOptions {
  /** Database URL on the source, at the moment the drill will restore to. */
  url: string
  /** `schema.table` names; default every ordinary table outside pg_catalog and information_schema. */
  tables?: string[]
  /** Also hash every row (reads the whole table). Default true. */
  fingerprint?: boolean
}

/**
 * Row counts and content fingerprints of a database's tables, to compare a restored copy against.
 * @example
 * const reference = await captureReference({ url: 'postgres://.../app' })   // at the target moment
 * await runDrill({ ..., reference })
 */
export async function captureReference(options: CaptureReferenceOptions): Promise<TableReference> {
  const client = newClient({ connectionString: options.url })
  await client.connect()
  try {
    // One snapshot for every table, so the reference is a single point in time.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const database = (await client.query('SELECT current_database() AS d')).rows[0].d as string
    const tables = options.tables ?? (await listTables(client))
    const out: TableReference['tables'] = {}
    for (const name of tables) out[name] = await tableSummary(client, name, options.fingerprint ?? true)
    await client.query('COMMIT')
    return { database, tables: out }
  } finally {
    await client.end()
  }
}

export async function listTables(client: pg.Client): Promise<string[]> {
  const r = await client.query(`SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY 1, 2`)
  return r.rows.map((row) => `${row.s}.${row.t}`)
}

export function splitName(name: string): { schema: string; name: string } {
  const dot = name.indexOf('.')
  return dot < 0 ? { schema: 'public', name } : { schema: name.slice(0, dot), name: name.slice(dot + 1) }
}

/** Count and an order-independent hash of the rows' text form. */
export async function tableSummary(client: pg.Client, table: string, fingerprint: boolean): Promise<{ rows: number; fingerprint?: string }> {
  const q = quoteQualified(splitName(table))
  if (!fingerprint) return { rows: Number((await client.query(`SELECT count(*) AS n FROM ${q}`)).rows[0].n) }
  const r = await client.query(`SELECT count(*) AS n, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS f
    FROM (SELECT md5(t::text) AS h FROM ${q} t) rows_`)
  return { rows: Number(r.rows[0].n), fingerprint: r.rows[0].f as string }
}

export { quoteIdent }
