import { quoteLiteral } from '../../postgres/sql.js'
import { FP_BYTES, HASH_FP_MAX_HEX } from '../sql-functions.js'
import { type ParamSpec, type ColumnType, type Params, type Strategy } from './strategy.js'

const TYPES = new Set(['uuid', 'int8'])
/** A tail of at least 48 bits after the fingerprint keeps case variants of one value apart. */
const HASH_FP_MIN_HEX = 2 * FP_BYTES + 12

/** Hex digits of the hash after the kept prefix. */
export const hashLength = (p: Params) => Number(p.length ?? 32)

/**
 * Whether the fake carries its original's leak-scan fingerprint (kdb_hash_fp): a length of 32–48
 * hex digits and the default domain (the fingerprint has no domain, so an explicit one keeps a value
 * space of its own through the HMAC of kdb_hash). Independent of the column type, so a foreign key
 * between a text and a varchar column keeps joining; whether the scan can read it back from the
 * column is fingerprintsReadBack's question.
 */
export function hashCarriesFingerprint(p: Params): boolean {
  const len = hashLength(p)
  return (p.domain === undefined || p.domain === 'hash') && len >= HASH_FP_MIN_HEX && len <= HASH_FP_MAX_HEX
}

const PARAMS: Record<string, ParamSpec> = {
  domain: { type: 'string', description: 'The value space: the same value hashed in two columns with the same domain gives the same output (default hash, whose fakes start with the leak-scan fingerprint of their original).' },
  length: { type: 'number', description: 'Hex digits of the keyed hash (20 to 64, default 32).', schema: { type: 'integer', minimum: 20, maximum: 64 } },
  keep_prefix: { type: 'number', description: 'Characters of the original kept in front, e.g. 8 for sk_live_.', schema: { type: 'integer', minimum: 0 } },
}

/**
 * Keyed hash of the value: tokens, API keys, provider ids. `domain` names the value space, so the
 * same id in two columns maps to the same output; `keep_prefix` keeps e.g. `sk_live_`. In the
 * default domain the hex digits start with the original's fingerprint (hashCarriesFingerprint).
 */
export const hash: Strategy = {
  name: 'hash',
  summary: 'keyed hash (domain, length in hex chars ≥ 20, keep_prefix N); uuid and bigint columns too',
  injective: true,
  deterministic: true,
  rejects: (c: ColumnType) => (c.category === 'S' || TYPES.has(c.typeName) ? undefined : `needs a text, uuid or bigint column, this one is ${c.sqlType}`),
  params: PARAMS,
  checkParams(p) {
    if (p.length !== undefined && (!Number.isInteger(p.length) || (p.length as number) < 20 || (p.length as number) > 64))
      return 'length must be between 20 and 64 (fewer than 80 bits would not be collision-safe)'
    return undefined
  },
  sql(expr, p, c) {
    const domain = quoteLiteral(String(p.domain ?? 'hash'))
    if (c.typeName === 'uuid') return `encode(substr(pg_temp.kdb_mac(${domain}, ${expr}::text), 1, 16), 'hex')::uuid`
    if (c.typeName === 'int8') return `(('x' || substr(encode(pg_temp.kdb_mac(${domain}, ${expr}::text), 'hex'), 1, 16))::bit(64)::bigint & 9223372036854775807)`
    const keep = Number(p.keep_prefix ?? 0)
    if (hashCarriesFingerprint(p)) return `pg_temp.kdb_hash_fp(${expr}, ${hashLength(p)}, ${keep})`
    return `pg_temp.kdb_hash(${expr}, ${domain}, ${hashLength(p)}, ${keep})`
  },
  fingerprint: 'value',
}
