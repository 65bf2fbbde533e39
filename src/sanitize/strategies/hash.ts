import { quoteLiteral } from '../../postgres/sql.js'
import { checkKnown, type ColumnType, type Strategy } from './strategy.js'

const TYPES = new Set(['uuid', 'int8'])

/**
 * Keyed HMAC-SHA-256 of the value: tokens, API keys, provider ids. `domain` names the value space,
 * so the same id in two columns maps to the same output; `keep_prefix` keeps e.g. `sk_live_`.
 */
export const hash: Strategy = {
  name: 'hash',
  summary: 'keyed hash (domain, length in hex chars ≥ 20, keep_prefix N); uuid and bigint columns too',
  injective: true,
  deterministic: true,
  rejects: (c: ColumnType) => (c.category === 'S' || TYPES.has(c.typeName) ? undefined : `needs a text, uuid or bigint column, this one is ${c.sqlType}`),
  checkParams(p) {
    const bad = checkKnown(p, { domain: 'string', length: 'number', keep_prefix: 'number' })
    if (bad) return bad
    if (p.length !== undefined && (!Number.isInteger(p.length) || (p.length as number) < 20 || (p.length as number) > 64))
      return 'length must be between 20 and 64 (fewer than 80 bits would not be collision-safe)'
    return undefined
  },
  sql(expr, p, c) {
    const domain = quoteLiteral(String(p.domain ?? 'hash'))
    if (c.typeName === 'uuid') return `encode(substr(pg_temp.kdb_mac(${domain}, ${expr}::text), 1, 16), 'hex')::uuid`
    if (c.typeName === 'int8') return `(('x' || substr(encode(pg_temp.kdb_mac(${domain}, ${expr}::text), 'hex'), 1, 16))::bit(64)::bigint & 9223372036854775807)`
    return `pg_temp.kdb_hash(${expr}, ${domain}, ${Number(p.length ?? 32)}, ${Number(p.keep_prefix ?? 0)})`
  },
  fingerprint: 'value',
}
