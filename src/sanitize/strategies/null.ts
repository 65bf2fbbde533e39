import { checkKnown, type ParamSpec, type Strategy } from './strategy.js'

const PARAMS: Record<string, ParamSpec> = {}

/** Replaces every value with NULL. */
export const nullify: Strategy = {
  name: 'null',
  summary: 'set to NULL',
  injective: false,
  deterministic: true,
  rejects: (c) => (c.notNull ? 'the column is NOT NULL; use constant instead' : undefined),
  params: PARAMS,
  checkParams: (p) => checkKnown(p, PARAMS),
  sql: () => 'NULL',
  fingerprint: 'value',
}
