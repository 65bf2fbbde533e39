import { type Strategy } from './strategy.js'

/** Replaces every value with NULL. */
export const nullify: Strategy = {
  name: 'null',
  summary: 'set to NULL',
  injective: false,
  deterministic: true,
  rejects: (c) => (c.notNull ? 'the column is NOT NULL; use constant instead' : undefined),
  params: {},
  sql: () => 'NULL',
  fingerprint: 'value',
}
