import { onlyText, type Strategy } from './strategy.js'

/**
 * E.164-shaped fake number: `+<original country code><keyed digits>`, same length. National numbers
 * (no `+`) get keyed digits only. Not injective: 10 digits are too few to promise no collisions.
 */
export const phone: Strategy = {
  name: 'phone',
  summary: 'fake number keeping the country code and length, same input → same output',
  injective: false,
  deterministic: true,
  rejects: onlyText,
  params: {},
  sql: (expr) => `pg_temp.kdb_phone(${expr})`,
  fingerprint: 'phone',
}
