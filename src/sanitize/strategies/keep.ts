import { checkKnown, type Strategy } from './strategy.js'

/** Leaves the column as it is: an explicit decision that it holds no personal data. */
export const keep: Strategy = {
  name: 'keep',
  summary: 'leave the column unchanged (it still gets the PII pattern scan)',
  injective: true,
  deterministic: true,
  rejects: () => undefined,
  checkParams: (p) => checkKnown(p, { reason: 'string' }),
  sql: () => null,
  fingerprint: 'none',
}
