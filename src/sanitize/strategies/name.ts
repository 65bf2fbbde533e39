import { quoteLiteral } from '../../postgres/sql.js'
import { checkKnown, onlyText, type Strategy } from './strategy.js'

const PARTS = ['full', 'first', 'last']

/** A fake person name picked by keyed hash from built-in lists (2,500 combinations). */
export const name: Strategy = {
  name: 'name',
  summary: 'fake person name (part: full | first | last)',
  injective: false,
  deterministic: true,
  rejects: onlyText,
  checkParams: (p) => checkKnown(p, { part: 'string' }) ?? (p.part !== undefined && !PARTS.includes(String(p.part)) ? `part must be one of ${PARTS.join(', ')}` : undefined),
  sql: (expr, p) => `pg_temp.kdb_name(${expr}, ${quoteLiteral(String(p.part ?? 'full'))})`,
  fingerprint: 'value',
}
