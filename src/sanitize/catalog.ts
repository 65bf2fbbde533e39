import type pg from 'pg'
import type { ColumnType } from './strategies/strategy.js'

export interface CatalogColumn {
  name: string
  type: ColumnType
  /** Generated (stored) columns are computed by Postgres: never masked directly. */
  generated: boolean
}

export interface CatalogUnique {
  name: string
  /** Plain columns, or null when the index has expressions. */
  columns: string[] | null
  partial: boolean
}

export interface CatalogTable {
  qualified: string
  schema: string
  name: string
  columns: CatalogColumn[]
  primaryKey: string[]
  uniques: CatalogUnique[]
  /** Columns a view, rule, policy or generated column depends on: ALTER TYPE cannot rewrite them. */
  pinned: Set<string>
  rowsEstimate: number
  bytes: number
}

export interface CatalogForeignKey {
  name: string
  table: string
  columns: string[]
  refTable: string
  refColumns: string[]
  definition: string
}

export interface Catalog {
  tables: Map<string, CatalogTable>
  foreignKeys: CatalogForeignKey[]
}

/** Schemas that are never user data. */
export const SKIPPED_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', 'koinonia_sanitize']

const TABLES = `
SELECT c.oid, n.nspname AS schema, c.relname AS name, greatest(c.reltuples, 0)::float8 AS rows, pg_table_size(c.oid)::float8 AS bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND NOT c.relispartition AND n.nspname <> ALL ($1::text[]) AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY 2, 3`

const COLUMNS = `
SELECT a.attrelid AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS sql_type,
       coalesce(bt.typcategory, t.typcategory) AS category, coalesce(bt.typname, t.typname) AS type_name,
       a.attnotnull AS not_null, a.attgenerated <> '' AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(nspname) || '.' || quote_ident(collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

const INDEXES = `
SELECT i.indrelid AS oid, ic.relname AS name, i.indisprimary AS primary, i.indexprs IS NOT NULL AS has_exprs, i.indpred IS NOT NULL AS partial,
       (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indisunique AND i.indrelid = ANY ($1::oid[])`

const FOREIGN_KEYS = `
SELECT con.conname AS name, con.conrelid AS oid, con.confrelid AS ref_oid, pg_get_constraintdef(con.oid) AS definition,
       (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
FROM pg_constraint con WHERE con.contype = 'f' AND con.conrelid = ANY ($1::oid[])`

// Views and rules (pg_rewrite), policies (pg_policy) and generated columns (pg_class with objsubid) that use a column.
const PINNED = `
SELECT d.refobjid AS oid, a.attname AS name
FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE d.refobjid = ANY ($1::oid[]) AND d.refobjsubid > 0 AND d.deptype = 'n'
  AND (d.classid IN ('pg_rewrite'::regclass, 'pg_policy'::regclass) OR (d.classid = 'pg_class'::regclass AND d.objid = d.refobjid AND d.objsubid > 0))`

/** Reads the tables, columns, unique indexes and foreign keys of a database. */
export async function readCatalog(client: pg.Client): Promise<Catalog> {
  const tables = (await client.query(TABLES, [SKIPPED_SCHEMAS])).rows
  const byOid = new Map<number, CatalogTable>()
  for (const t of tables)
    byOid.set(t.oid, { qualified: `${t.schema}.${t.name}`, schema: t.schema, name: t.name, columns: [], primaryKey: [], uniques: [], pinned: new Set(), rowsEstimate: t.rows, bytes: t.bytes })
  const oids = [...byOid.keys()]
  for (const c of (await client.query(COLUMNS, [oids])).rows)
    byOid.get(c.oid)!.columns.push({ name: c.name, generated: c.generated, type: { sqlType: c.sql_type, category: c.category, typeName: c.type_name, notNull: c.not_null, collation: c.collation ?? null } })
  for (const i of (await client.query(INDEXES, [oids])).rows) {
    const t = byOid.get(i.oid)!
    if (i.primary) t.primaryKey = i.columns
    t.uniques.push({ name: i.name, columns: i.has_exprs ? null : i.columns, partial: i.partial })
  }
  for (const p of (await client.query(PINNED, [oids])).rows) byOid.get(p.oid)!.pinned.add(p.name)
  const foreignKeys: CatalogForeignKey[] = []
  for (const f of (await client.query(FOREIGN_KEYS, [oids])).rows) {
    const t = byOid.get(f.oid)
    const r = byOid.get(f.ref_oid)
    if (t && r) foreignKeys.push({ name: f.name, table: t.qualified, columns: f.columns, refTable: r.qualified, refColumns: f.ref_columns, definition: f.definition })
  }
  return { tables: new Map([...byOid.values()].map((t) => [t.qualified, t])), foreignKeys }
}
