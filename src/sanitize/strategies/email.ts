import { quoteLiteral } from '../../postgres/sql.js'
import { checkKnown, onlyText, type Strategy } from './strategy.js'

/**
 * `user_<80-bit keyed hash>@example.com`. The hash is over the lower-cased address, so the same
 * person gets the same fake address in every table whatever the case the app stored.
 */
export const email: Strategy = {
  name: 'email',
  summary: 'fake address user_<keyed hash>@<domain>, same input → same output',
  injective: true,
  deterministic: true,
  rejects: onlyText,
  checkParams: (p) => checkKnown(p, { domain: 'string' }),
  sql: (expr, p) => `pg_temp.kdb_email(${expr}, ${quoteLiteral(String(p.domain ?? 'example.com'))})`,
  fingerprint: 'value',
}
