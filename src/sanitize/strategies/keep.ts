import { type ParamSpec, type Strategy } from './strategy.js'

const PARAMS: Record<string, ParamSpec> = {
  reason: { type: 'string', description: 'Why the column holds no personal data; needed with scan: false.' },
  scan: { type: 'boolean', description: 'false: the leak scan does not search this column (public data that can equal a customer\'s, e.g. a book\'s author); needs a reason.' },
}

/**
 * Leaves the column as it is: an explicit decision that it holds no personal data. The leak scan
 * still searches it, unless `scan: false` with a `reason` (public data that can equal a customer's:
 * a book's author, a speaker's name).
 */
export const keep: Strategy = {
  name: 'keep',
  summary: 'leave the column unchanged (it still gets the leak scan, unless scan: false with a reason)',
  injective: true,
  deterministic: true,
  rejects: () => undefined,
  params: PARAMS,
  checkParams: (p) => (p.scan === false && !p.reason ? 'scan: false needs a reason: why may this column hold what a masked column held?' : undefined),
  sql: () => null,
  fingerprint: 'none',
}
