import { quoteLiteral } from '../../postgres/sql.js'
import { type ParamSpec, onlyText, type Strategy } from './strategy.js'

const PARAMS: Record<string, ParamSpec> = {
  domain: { type: 'string', description: 'The fake addresses\' domain (default example.com).' },
}

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
  params: PARAMS,
  sql: (expr, p) => `pg_temp.kdb_email(${expr}, ${quoteLiteral(String(p.domain ?? 'example.com'))})`,
  fingerprint: 'value',
}
