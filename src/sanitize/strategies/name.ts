import { quoteLiteral } from '../../postgres/sql.js'
import { type ParamSpec, onlyText, type Strategy } from './strategy.js'

const PARTS = ['full', 'first', 'last']

const PARAMS: Record<string, ParamSpec> = {
  part: { type: 'string', description: 'What the column holds: a full name (default), a first name or a last name.', schema: { enum: PARTS } },
}

/** A fake person name picked by keyed hash from built-in lists (2,500 combinations). */
export const name: Strategy = {
  name: 'name',
  summary: 'fake person name (part: full | first | last)',
  injective: false,
  deterministic: true,
  rejects: onlyText,
  params: PARAMS,
  checkParams: (p) => (p.part !== undefined && !PARTS.includes(String(p.part)) ? `part must be one of ${PARTS.join(', ')}` : undefined),
  sql: (expr, p) => `pg_temp.kdb_name(${expr}, ${quoteLiteral(String(p.part ?? 'full'))})`,
  fingerprint: 'value',
}
