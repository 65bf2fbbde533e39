import { onlyText, type Strategy } from './strategy.js'

/** A fake street address (`123 Oak St, Springfield`) picked by keyed hash. */
export const address: Strategy = {
  name: 'address',
  summary: 'fake street address',
  injective: false,
  deterministic: true,
  rejects: onlyText,
  params: {},
  sql: (expr) => `pg_temp.kdb_address(${expr})`,
  fingerprint: 'value',
}
