import type pg from 'pg'

/** What a down script must restore, read from the catalogs. Keys are qualified, quoted names. */
export interface SchemaDescription {
  schemas: string[]
  extensions: Array<{ name: string; schema: string }>
  enums: Array<{ key: string; schema: string; name: string; labels: string[] }>
  sequences: Array<{ key: string; schema: string; name: string; dataType: string; start: string; increment: string; ownedBy: string | null }>
  tables: Array<{ key: string; schema: string; name: string; columns: ColumnDescription[] }>
  constraints: Array<{ key: string; table: string; name: string; type: string; definition: string }>
  indexes: Array<{ key: string; table: string; name: string; definition: string }>
  views: Array<{ key: string; materialized: boolean; definition: string }>
  functions: Array<{ key: string; definition: string }>
  triggers: Array<{ key: string; table: string; name: string; definition: string }>
}

export interface ColumnDescription {
  name: string
  type: string
  notNull: boolean
  default: string | null
  /** 'a' ALWAYS / 'd' BY DEFAULT identity, or ''. */
  identity: string
  /** Expression of a stored generated column, or null. */
  generated: string | null
}

/** Bookkeeping tables are not part of the schema a migration changes. */
const IGNORED_TABLES = new Set(['_prisma_migrations', 'koinonia_migrations'])

const USER_NAMESPACES = `SELECT oid FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`
/** Objects that belong to an extension are recreated by CREATE EXTENSION, never one by one. */
const NOT_FROM_EXTENSION = (classTable: string, alias: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classTable}'::regclass AND d.objid = ${alias}.oid AND d.deptype = 'e')`

export async function introspectSchema(client: pg.ClientBase): Promise<SchemaDescription> {
  const q = async (sql: string) => (await client.query(sql)).rows
  const schemas = (await q(`SELECT nspname FROM pg_namespace WHERE oid IN (${USER_NAMESPACES}) ORDER BY 1`)).map((r) => r.nspname as string)
  const extensions = (await q(`SELECT e.extname AS name, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname <> 'plpgsql' ORDER BY 1`)) as SchemaDescription['extensions']
  const enums = (await q(`SELECT t.oid::regtype::text AS key, n.nspname AS schema, t.typname AS name,
      array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE t.typnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('pg_type', 't')}
    GROUP BY t.oid, n.nspname, t.typname ORDER BY 1`)) as SchemaDescription['enums']
  const sequences = (await q(`SELECT c.oid::regclass::text AS key, n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS "dataType",
      s.seqstart::text AS start, s.seqincrement::text AS increment,
      (SELECT quote_ident(a.attname) FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' LIMIT 1) AS owned_col,
      (SELECT d.refobjid::regclass::text FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' AND d.refobjsubid > 0 LIMIT 1) AS owned_table
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
    WHERE c.relkind = 'S' AND c.relnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('pg_class', 'c')}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')
    ORDER BY 1`)).map((r) => ({
    key: r.key, schema: r.schema, name: r.name, dataType: r.dataType, start: r.start, increment: r.increment,
    ownedBy: r.owned_table ? `${r.owned_table}.${r.owned_col}` : null,
  }))
  const tableRows = await q(`SELECT c.oid, c.oid::regclass::text AS key, n.nspname AS schema, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('pg_class', 'c')}
    ORDER BY 2`)
  const columnRows = await q(`SELECT a.attrelid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
      CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
      a.attidentity AS identity, CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated
    FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (SELECT oid FROM pg_class WHERE relnamespace IN (${USER_NAMESPACES}))
    ORDER BY a.attrelid, a.attnum`)
  const tables = tableRows.filter((t) => !IGNORED_TABLES.has(t.name)).map((t) => ({
    key: t.key as string, schema: t.schema as string, name: t.name as string,
    columns: columnRows.filter((c) => c.attrelid === t.oid).map(({ attrelid: _, ...c }) => c as ColumnDescription),
  }))
  const known = new Set(tables.map((t) => t.key))
  const constraints = (await q(`SELECT con.conrelid::regclass::text AS table, con.conname AS name, con.contype AS type,
      pg_get_constraintdef(con.oid) AS definition
    FROM pg_constraint con WHERE con.conrelid <> 0 AND con.connamespace IN (${USER_NAMESPACES}) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
    ORDER BY 1, 2`)).filter((c) => known.has(c.table)).map((c) => ({ key: `${c.table}.${c.name}`, ...c }))
  const indexes = (await q(`SELECT i.indrelid::regclass::text AS table, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE ic.relnamespace IN (${USER_NAMESPACES}) AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
    ORDER BY 1, 2`)).filter((i) => known.has(i.table)).map((i) => ({ key: `${i.table}.${i.name}`, ...i }))
  const views = (await q(`SELECT c.oid::regclass::text AS key, c.relkind = 'm' AS materialized, pg_get_viewdef(c.oid) AS definition
    FROM pg_class c WHERE c.relkind IN ('v', 'm') AND c.relnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('pg_class', 'c')} ORDER BY 1`)) as SchemaDescription['views']
  const functions = (await q(`SELECT p.oid::regprocedure::text AS key, pg_get_functiondef(p.oid) AS definition
    FROM pg_proc p WHERE p.pronamespace IN (${USER_NAMESPACES}) AND p.prokind IN ('f', 'p') AND ${NOT_FROM_EXTENSION('pg_proc', 'p')} ORDER BY 1`)) as SchemaDescription['functions']
  const triggers = (await q(`SELECT t.tgrelid::regclass::text AS table, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition
    FROM pg_trigger t WHERE NOT t.tgisinternal AND t.tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace IN (${USER_NAMESPACES})) ORDER BY 1, 2`))
    .filter((t) => known.has(t.table)).map((t) => ({ key: `${t.table}.${t.name}`, ...t }))
  return { schemas, extensions, enums, sequences, tables, constraints, indexes, views, functions, triggers }
}
