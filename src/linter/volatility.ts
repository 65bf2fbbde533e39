import { names, typeNameOf, walk } from './ast.js'
import type { AstNode } from './types.js'

export type Volatility = 'constant' | 'stable' | 'volatile' | 'unknown'

/**
 * Functions whose result changes per row. Postgres 11+ stores a non-volatile ADD COLUMN default
 * in the catalog (attmissingval) and skips the rewrite; a volatile one must be evaluated per row.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
const VOLATILE = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc',
  'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'nextval', 'currval', 'setval', 'lastval', 'txid_current',
  'pg_current_xact_id', 'gen_random_bytes', 'gen_salt', 'crypt', 'setseed',
])

/** Functions known to be STABLE or IMMUTABLE: one value for the whole statement. */
const STABLE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_timestamp', 'current_date', 'localtimestamp',
  'current_setting', 'current_database', 'current_schema', 'to_timestamp', 'to_date', 'to_char', 'to_json', 'to_jsonb',
  'json_build_object', 'jsonb_build_object', 'json_build_array', 'jsonb_build_array', 'array', 'lower', 'upper',
  'concat', 'md5', 'trim', 'btrim', 'length', 'date_trunc', 'make_interval', 'make_date', 'timezone', 'abs',
  'round', 'floor', 'ceil', 'coalesce', 'nullif', 'greatest', 'least', 'jsonb_object', 'json_object',
  'array_fill', 'string_to_array', 'encode', 'decode', 'cast', 'uuid_nil', 'uuid_ns_url', 'uuid_ns_dns',
])

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2'])

export function isSerialType(typeName: AstNode): boolean {
  return SERIAL_TYPES.has(typeNameOf(typeName).toLowerCase())
}

/** A called function's volatility by its (unqualified, lower-cased) name. */
function functionVolatility(fn: string): Volatility {
  return VOLATILE.has(fn) ? 'volatile' : STABLE.has(fn) ? 'stable' : 'unknown'
}

/** The volatility of an expression: the worst of the functions it calls. */
export function expressionVolatility(expr: AstNode): Volatility {
  let worst: Volatility = 'constant'
  const raise = (v: Volatility) => {
    const order: Volatility[] = ['constant', 'stable', 'unknown', 'volatile']
    if (order.indexOf(v) > order.indexOf(worst)) worst = v
  }
  const visit = (key: string, value: AstNode) => {
    if (key === 'FuncCall') {
      const fn = names(value.funcname).pop()?.toLowerCase() ?? ''
      raise(functionVolatility(fn))
    } else if (key === 'SQLValueFunction') raise('stable')
    else if (key === 'SubLink') raise('unknown')
  }
  walk(expr, visit)
  return worst
}

/** The function that makes an expression volatile (or of unknown volatility), for messages. */
export function firstCalledFunction(expr: AstNode): string | undefined {
  let volatile: string | undefined
  let unknown: string | undefined
  walk(expr, (key, value) => {
    if (key !== 'FuncCall') return
    const parts = names(value.funcname)
    const v = functionVolatility(parts[parts.length - 1]?.toLowerCase() ?? '')
    if (v === 'volatile') volatile ??= parts.join('.')
    else if (v === 'unknown') unknown ??= parts.join('.')
  })
  return volatile ?? unknown
}
