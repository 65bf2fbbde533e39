import { checkKnown, type Strategy } from './strategy.js'

/** Replaces every value with NULL. */
export const nullify: Strategy = {
  name: 'null',
  summary: 'set to NULL',
  injective: false,
  deterministic: true,
  rejects: (c) => (c.notNull ? 'the column is NOT NULL; use constant instead' : undefined),
  checkParams: (p) => checkKnown(p, {}),
  sql: () => 'NULL',
  fingerprint: 'value',
}
