import { quoteIdent, quoteLiteral } from '../../postgres/sql.js'

/** A column as the catalog describes it: enough for a strategy to decide whether it applies. */
export interface ColumnType {
  /** `format_type()` text, e.g. `character varying(255)`, used for the final cast. */
  sqlType: string
  /** `pg_type.typcategory`: S string, D date/time, N numeric, U user (json, uuid), B boolean. */
  category: string
  /** `pg_type.typname` of the base type: text, varchar, jsonb, uuid, int8, date, timestamptz... */
  typeName: string
  notNull: boolean
  /** A collation other than the type's default (`"pg_catalog"."C"`), kept through the rewrite. */
  collation?: string | null
}

export type Params = Record<string, unknown>

/**
 * A strategy's parameter: its type, checked when the rules load (paramsProblem), and what it does, for
 * the rules file's JSON Schema (rules-schema.ts). `schema`: JSON Schema keywords that say more than
 * the type (an enum, a minimum, an array's items); the strategy's checkParams checks the same.
 */
export interface ParamSpec {
  type: 'string' | 'number' | 'boolean' | 'array' | 'any'
  description: string
  schema?: Record<string, unknown>
}

/**
 * One masking strategy. It only describes the transform: `sql` returns an expression that runs
 * inside Postgres (helpers live in pg_temp, see sql-functions.ts), so masking is a table rewrite,
 * never a row-by-row round trip through Node.
 */
export interface Strategy {
  name: string
  summary: string
  /** Distinct inputs give distinct outputs (keyed hash of ≥ 80 bits): allowed on unique columns. */
  injective: boolean
  /** Same input gives the same output under one key, so references (FK or virtual) can follow it. */
  deterministic: boolean
  /** Why the strategy cannot mask this column, or undefined when it can. */
  rejects(column: ColumnType): string | undefined
  /** The parameters it takes: paramsProblem checks their names and types before checkParams. */
  params: Record<string, ParamSpec>
  /** Parameters it cannot do without. */
  required?: readonly string[]
  /** Why the parameters are wrong beyond their names and types (a range, a value needed), or undefined. */
  checkParams?(params: Params): string | undefined
  /** Values written as the rules give them (constant's value, choice's values): each is cast to the column's type before anything is masked. */
  literals?(params: Params): unknown[]
  /** SQL for the masked value of `expr` (already quoted); null means "leave the column as it is". */
  sql(expr: string, params: Params, column: ColumnType): string | null
  /**
   * How the original values feed the leak scan: `value` the whole value; `phone` its last 9 digits
   * (the scan finds it in any format); `text` also every email and phone found inside; `json` the string leaves at the
   * rule paths; `none` nothing (dates).
   */
  fingerprint: 'value' | 'phone' | 'text' | 'json' | 'none'
}

export const isText = (c: ColumnType) => c.category === 'S'
export const isJson = (c: ColumnType) => c.typeName === 'json' || c.typeName === 'jsonb'

export function onlyText(c: ColumnType): string | undefined {
  return isText(c) ? undefined : `needs a text column, this one is ${c.sqlType}`
}

/** Why a rule's parameters are wrong for its strategy: names and types as declared, then the strategy's own checks. */
export function paramsProblem(strategy: Strategy, params: Params): string | undefined {
  return checkKnown(params, strategy.params) ?? strategy.checkParams?.(params)
}

/** Checks that only the named parameters appear and have the named types. */
function checkKnown(params: Params, known: Record<string, ParamSpec>): string | undefined {
  for (const [key, value] of Object.entries(params)) {
    const want = Object.hasOwn(known, key) ? known[key].type : undefined
    if (!want) return `unknown parameter "${key}" (known: ${Object.keys(known).join(', ') || 'none'})`
    if (want === 'any') continue
    const got = Array.isArray(value) ? 'array' : typeof value
    if (got !== want) return `parameter "${key}" must be a ${want}, got ${got}`
  }
  return undefined
}

/**
 * SQL for a keyed whole number in [-n, n], drawn from the value `expr`, or from the row's column
 * `by` so every value of one entity draws the same (date-shift, noise).
 */
export function keyedOffset(domain: string, expr: string, by: unknown, n: number): string {
  return `(${keyedIndex(domain, expr, by, 2 * n + 1)} - ${n})`
}

/** SQL for a keyed whole number in [0, n), keyed on the value or, with `by`, on another column of the row. */
export function keyedIndex(domain: string, expr: string, by: unknown, n: number): string {
  const keyed = by ? `${quoteIdent(String(by))}::text` : `${expr}::text`
  return `(pg_temp.kdb_int(pg_temp.kdb_mac(${quoteLiteral(domain)}, ${keyed}), 0) % ${n})`
}
