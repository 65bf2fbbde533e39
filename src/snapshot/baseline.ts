import type pg from 'pg'
import { quoteIdent } from '../postgres/sql.js'
import { readCatalog, tableKey } from './catalog.js'
import { describeSchema, type SchemaDescription } from './schema-description.js'

export interface ColumnFingerprint {
  /** Rows where the column is not NULL. */
  nonNull: number
  fingerprint: string
}

export interface TableFingerprint {
  /** `"schema"."table"`, for SQL text. */
  sql: string
  rows: number
  /** Over all columns in `columns` order: catches values moved between rows, which per-column sums cannot see. */
  rowFingerprint: string
  columns: Record<string, ColumnFingerprint>
  /** Column → `format_type` spelling, to compare values across a type change. */
  types: Record<string, string>
}

export interface Baseline {
  tables: Record<string, TableFingerprint>
  /** Sequence → last value (null before the first nextval). */
  sequences: Record<string, string | null>
  schema: SchemaDescription
  durationMs: number
}

/**
 * Order-independent: the sum of 64-bit prefixes of md5 over each value's text. Equal multisets of
 * values give equal sums; any changed, lost or added value changes it (barring a 2^-64 collision).
 */
function fingerprintSql(expr: string): string {
  return `COALESCE(sum(('x' || substr(md5(${expr}), 1, 16))::bit(64)::bigint), 0)::text`
}

export type Fingerprint = Omit<TableFingerprint, 'sql' | 'types'>

/**
 * Exact row count and fingerprints of one table, over the given columns (one scan). `castTo` reads a
 * column as another type first: a column whose type a migration changed is compared in its old type,
 * so a value-preserving change (timestamp → timestamptz, int → bigint) keeps its fingerprint.
 */
export async function fingerprintTable(client: pg.ClientBase, sql: string, columns: string[], castTo: Record<string, string> = {}): Promise<Fingerprint> {
  const value = (c: string) => (castTo[c] ? `${quoteIdent(c)}::${castTo[c]}` : quoteIdent(c))
  const parts = [
    'count(*)::bigint AS rows',
    `${fingerprintSql(`ROW(${columns.map(value).join(', ')})::text`)} AS row_fp`,
    ...columns.flatMap((c, i) => [`count(${quoteIdent(c)}) AS n${i}`, `${fingerprintSql(`${value(c)}::text`)} AS f${i}`]),
  ]
  const row = (await client.query(`SELECT ${parts.join(', ')} FROM ${sql}`)).rows[0]
  return {
    rows: Number(row.rows),
    rowFingerprint: row.row_fp,
    columns: Object.fromEntries(columns.map((c, i) => [c, { nonNull: Number(row[`n${i}`]), fingerprint: row[`f${i}`] }])),
  }
}

/** Everything a migration could change, measured before it runs. */
export async function takeBaseline(client: pg.ClientBase, signal?: AbortSignal): Promise<Baseline> {
  const started = performance.now()
  const tables: Baseline['tables'] = {}
  for (const table of await readCatalog(client)) {
    signal?.throwIfAborted()
    const columns = table.columns.map((c) => c.name)
    const types = Object.fromEntries(table.columns.map((c) => [c.name, c.type]))
    tables[table.key] = { sql: table.sql, types, ...(await fingerprintTable(client, table.sql, columns)) }
  }
  return { tables, sequences: await readSequences(client), schema: await describeSchema(client), durationMs: performance.now() - started }
}

/** Sequence → the value its next nextval() returns (pg_sequences shows NULL after setval(..., false), so each is read). */
export async function readSequences(client: pg.ClientBase): Promise<Record<string, string | null>> {
  const seqs = (await client.query(`
    SELECT schemaname AS s, sequencename AS name, increment_by::text AS inc FROM pg_sequences
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)).rows
  if (!seqs.length) return {}
  const parts = seqs.map((q, i) =>
    `SELECT ${i} AS i, (CASE WHEN is_called THEN last_value + ${Number(q.inc)} ELSE last_value END)::text AS next FROM ${quoteIdent(q.s)}.${quoteIdent(q.name)}`)
  const next = new Map((await client.query(parts.join(' UNION ALL '))).rows.map((r) => [r.i, r.next]))
  return Object.fromEntries(seqs.map((q, i) => [tableKey(q.s, q.name), next.get(i) ?? null]))
}
