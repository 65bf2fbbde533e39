import { quoteLiteral } from '../../postgres/sql.js'
import { type ParamSpec, type Strategy } from './strategy.js'

const PARAMS: Record<string, ParamSpec> = {
  value: { type: 'any', description: 'The value every non-null row gets (a string, number, boolean or JSON value).' },
}

/** One value for every non-null row, e.g. a known staging password hash. */
export const constant: Strategy = {
  name: 'constant',
  summary: 'replace every non-null value with `value` (e.g. a known staging password hash)',
  injective: false,
  deterministic: true,
  rejects: () => undefined,
  params: PARAMS,
  required: ['value'],
  checkParams: (p) => (p.value === undefined ? 'needs a `value`' : undefined),
  literals: (p) => (p.value === null ? [] : [typeof p.value === 'string' ? p.value : JSON.stringify(p.value)]),
  sql: (expr, p, c) =>
    p.value === null ? 'NULL' : `CASE WHEN ${expr} IS NULL THEN NULL ELSE ${quoteLiteral(typeof p.value === 'string' ? p.value : JSON.stringify(p.value))}::${c.sqlType} END`,
  fingerprint: 'value',
}
