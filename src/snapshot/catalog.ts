import type pg from 'pg'
import { quoteIdent } from '../postgres/sql.js'

/** Schemas that belong to Postgres, never to the user. */
export const SYSTEM_SCHEMA_FILTER = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`

/** Bookkeeping tables of migration tools: they change with every migration by design. */
export const BOOKKEEPING_TABLES = new Set(['_prisma_migrations', 'koinonia_migrations'])

export interface CatalogColumn {
  name: string
  /** `format_type` spelling, e.g. `character varying(40)`. */
  type: string
  /** The base type's name after unwrapping domains and arrays, e.g. `int4`, `varchar`, or the enum's name. */
  baseType: string
  /** `e` enum, `b` base, `c` composite, `r` range… of the base type. */
  typtype: string
  isArray: boolean
  notNull: boolean
  /** `a` / `d` for identity columns, '' otherwise. */
  identity: string
  /** `s` for generated columns: they cannot be inserted. */
  generated: string
  default: string | null
  /** varchar/char length, numeric precision and scale when declared. */
  length: number | null
  precision: number | null
  scale: number | null
  /** Labels of the enum, in order, when the base type is an enum. */
  enumLabels: string[] | null
}

export interface CatalogConstraint {
  name: string
  type: 'p' | 'u' | 'f' | 'c'
  columns: string[]
  /** For foreign keys: the referenced table (qualified key) and columns. */
  refTable: string | null
  refColumns: string[]
  definition: string
}

export interface CatalogTable {
  schema: string
  name: string
  /** `"schema"."name"`, ready for SQL text. */
  sql: string
  /** `schema.name`, the key used in reports (`name` alone in the public schema). */
  key: string
  columns: CatalogColumn[]
  constraints: CatalogConstraint[]
}

export function tableKey(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`
}

/** Every user table with its columns and constraints, in a stable order. */
export async function readCatalog(client: pg.ClientBase, options: { includeBookkeeping?: boolean } = {}): Promise<CatalogTable[]> {
  const tables = await client.query(`
    SELECT c.oid, n.nspname AS schema, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${SYSTEM_SCHEMA_FILTER}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    ORDER BY n.nspname, c.relname`)
  const columns = await client.query(`
    SELECT a.attrelid AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
      a.attnotnull AS "notNull", a.attidentity AS identity, a.attgenerated AS generated,
      pg_get_expr(d.adbin, d.adrelid) AS default,
      (t.typcategory = 'A') AS "isArray",
      bt.typname AS "baseType", bt.typtype AS typtype, bt.oid AS "baseOid",
      information_schema._pg_char_max_length(information_schema._pg_truetypid(a, t), information_schema._pg_truetypmod(a, t)) AS length,
      information_schema._pg_numeric_precision(information_schema._pg_truetypid(a, t), information_schema._pg_truetypmod(a, t)) AS precision,
      information_schema._pg_numeric_scale(information_schema._pg_truetypid(a, t), information_schema._pg_truetypmod(a, t)) AS scale,
      (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = bt.oid) AS "enumLabels"
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    -- Unwrap one level of domain, then the array element: generation works on the base type.
    JOIN pg_type dt ON dt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
    JOIN pg_type bt ON bt.oid = CASE WHEN dt.typcategory = 'A' THEN dt.typelem ELSE dt.oid END
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid = ANY($1::oid[])
    ORDER BY a.attrelid, a.attnum`, [tables.rows.map((t) => t.oid)])
  const constraints = await client.query(`
    SELECT c.conrelid AS oid, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS definition,
      ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns,
      rn.nspname AS "refSchema", r.relname AS "refName",
      ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS "refColumns"
    FROM pg_constraint c
    LEFT JOIN pg_class r ON r.oid = c.confrelid
    LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
    WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'u', 'f', 'c')
    ORDER BY c.conrelid, c.conname`, [tables.rows.map((t) => t.oid)])

  // Prisma writes @unique / @@unique as CREATE UNIQUE INDEX, not as constraints: the synthetic data must honour them too.
  const uniqueIndexes = await client.query(`
    SELECT x.indrelid AS oid, i.relname AS name, 'u' AS type, pg_get_indexdef(x.indexrelid) AS definition,
      ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o) AS columns
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indisunique AND x.indrelid = ANY($1::oid[]) AND x.indpred IS NULL AND x.indexprs IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY x.indrelid, i.relname`, [tables.rows.map((t) => t.oid)])

  const result: CatalogTable[] = []
  for (const t of tables.rows) {
    if (!options.includeBookkeeping && BOOKKEEPING_TABLES.has(t.name)) continue
    result.push({
      schema: t.schema,
      name: t.name,
      sql: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
      key: tableKey(t.schema, t.name),
      columns: columns.rows.filter((c) => c.oid === t.oid).map((c) => ({
        name: c.name, type: c.type, baseType: c.baseType, typtype: c.typtype, isArray: c.isArray, notNull: c.notNull,
        identity: c.identity, generated: c.generated, default: c.default,
        length: c.length, precision: c.precision, scale: c.scale, enumLabels: c.enumLabels,
      })),
      constraints: [
        ...constraints.rows.filter((c) => c.oid === t.oid).map((c) => ({
          name: c.name, type: c.type, columns: c.columns, definition: c.definition,
          refTable: c.refName ? tableKey(c.refSchema, c.refName) : null, refColumns: c.refColumns ?? [],
        })),
        ...uniqueIndexes.rows.filter((c) => c.oid === t.oid).map((c) => ({
          name: c.name, type: c.type, columns: c.columns, definition: c.definition, refTable: null, refColumns: [],
        })),
      ],
    })
  }
  return result
}
