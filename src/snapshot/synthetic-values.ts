import { quoteLiteral } from '../postgres/sql.js'
import type { CatalogColumn } from './catalog.js'

/**
 * SQL expressions that compute a column's value from a row number, so rows are generated set-based
 * (`INSERT ... SELECT ... FROM generate_series`) and every value is a pure function of (seed, table,
 * column, row): the same seed gives the same data, and a child can compute its parent's key for any
 * parent row without reading it back.
 */
export interface ValueContext {
  seed: number
  table: string
  column: CatalogColumn
  /** SQL expression of the row number (1-based). */
  row: string
  /** Whether distinct rows need distinct values (a unique or primary key column). */
  unique: boolean
}

/** A non-negative pseudo-random int (28 bits) from md5, deterministic across runs and servers. */
export function hashExpr(seed: number, tag: string, row: string): string {
  return `('x' || substr(md5(${quoteLiteral(`${seed}:${tag}:`)} || (${row})::text), 1, 7))::bit(28)::int`
}

const INT_TYPES = new Set(['int2', 'int4', 'int8', 'oid'])
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name'])

/** The expression for one value, or null when we do not know how to generate this type. */
export function valueExpr(ctx: ValueContext): string | null {
  const { column } = ctx
  const base = baseValueExpr(ctx)
  if (base === null) return null
  // Some nullable values stay NULL, as in real data: NULL handling of a migration is part of what we test.
  const nullable = !column.notNull && !ctx.unique
  const value = column.isArray ? `ARRAY[${base}]` : base
  const typed = `(${value})::${column.type}`
  return nullable ? `CASE WHEN ${hashExpr(ctx.seed, `${ctx.table}.${column.name}.null`, ctx.row)} % 10 = 0 THEN NULL ELSE ${typed} END` : typed
}

function baseValueExpr(ctx: ValueContext): string | null {
  const { column, row, unique } = ctx
  const h = hashExpr(ctx.seed, `${ctx.table}.${column.name}`, row)
  const v = unique ? `(${row})` : h
  const t = column.baseType
  if (column.typtype === 'e' && column.enumLabels?.length) {
    const labels = column.enumLabels.map(quoteLiteral).join(', ')
    return `(ARRAY[${labels}])[1 + (${h}) % ${column.enumLabels.length}]`
  }
  if (t === 'int2') return unique ? `(${row}) % 32767` : `1 + ${h} % 32000`
  // Positive: quantities, counts and ids are, and `CHECK (x > 0)` is the most common check there is.
  if (INT_TYPES.has(t)) return unique ? `(${row})` : `1 + ${h} % 100000`
  if (t === 'numeric') return numericExpr(column, v, h, unique)
  if (t === 'float4' || t === 'float8') return unique ? `(${row}) + 0.5` : `${h} / 1000.0`
  if (t === 'money') return `${h} % 100000 / 100.0`
  if (TEXT_TYPES.has(t)) return textExpr(ctx, v, h)
  if (t === 'bool') return unique ? null : `${h} % 2 = 0`
  if (t === 'date') return `date '2020-01-01' + ${unique ? `(${row})` : `${h} % 3650`}`
  if (t === 'timestamp' || t === 'timestamptz')
    return `timestamp '2024-01-01 00:00:00' + ${unique ? `(${row})` : `${h} % 31536000`} * interval '1 second'`
  if (t === 'time' || t === 'timetz') return `time '00:00' + ${unique ? `(${row}) % 86400` : `${h} % 86400`} * interval '1 second'`
  if (t === 'interval') return `${v} * interval '1 minute'`
  if (t === 'uuid') return `md5(${quoteLiteral(`${ctx.seed}:${ctx.table}.${column.name}:`)} || (${row})::text)::uuid`
  if (t === 'json' || t === 'jsonb') return `json_build_object('n', ${v}, 'tag', ${tagExpr(ctx)})`
  if (t === 'bytea') return `decode(md5(${quoteLiteral(`${ctx.seed}:${column.name}:`)} || (${v})::text), 'hex')`
  if (t === 'inet' || t === 'cidr') return `('10.' || (${v} / 65536) % 256 || '.' || (${v} / 256) % 256 || '.' || ${v} % 256)`
  if (t === 'tsvector') return `to_tsvector('simple', ${tagExpr(ctx)})`
  if (t === 'xml') return `xmlelement(name v, ${v})`
  return null
}

function tagExpr(ctx: ValueContext): string {
  return `substr(md5(${quoteLiteral(`${ctx.seed}:${ctx.table}.${ctx.column.name}:tag:`)} || (${ctx.row})::text), 1, 8)`
}

function numericExpr(column: CatalogColumn, v: string, h: string, unique: boolean): string {
  const scale = column.scale ?? 2
  const intDigits = column.precision === null ? 6 : column.precision - scale
  if (intDigits <= 0) return `round((${h} % 1000) / 1000.0, ${scale}) * 0.9`
  // One below the largest integer part, so rounding the fraction can never overflow the precision.
  const limit = 10 ** Math.min(intDigits, 6) - 1
  const whole = unique ? v : `${h} % ${limit}`
  return `round(${whole} + (${h} % 100) / 100.0 * 0.9, ${scale})`
}

/** Values that look like the column's name says (an email column gets emails): some checks and apps expect it. */
function textExpr(ctx: ValueContext, v: string, h: string): string {
  const name = ctx.column.name.toLowerCase()
  let expr: string
  if (name.includes('email')) expr = `'user' || ${v} || '@example.test'`
  else if (name.includes('phone') || name === 'number' || name.includes('mobile')) expr = `'+1555' || lpad((${v} % 10000000)::text, 7, '0')`
  else if (name.includes('url') || name.includes('website')) expr = `'https://example.test/' || ${v}`
  else if (name.includes('slug')) expr = `'slug-' || ${v}`
  else expr = `${quoteLiteral(prefixFor(ctx.column.name))} || '-' || ${ctx.unique ? v : `substr(md5((${h})::text), 1, 8)`}`
  const length = ctx.column.length
  // A short unique column (char(2), varchar(3)) would lose its distinctness to left(): hex digits fit 16^n rows.
  if (length && ctx.unique && length < 16) return `lpad(to_hex(${v}), ${length}, '0')`
  return length ? `left(${expr}, ${length})` : expr
}

function prefixFor(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'v'
}
