import { quoteLiteral } from '../../postgres/sql.js'
import { type ParamSpec, onlyText, type Strategy } from './strategy.js'

const PARAMS: Record<string, ParamSpec> = {
  keep_first: { type: 'number', description: 'Characters kept at the start.', schema: { type: 'integer', minimum: 0 } },
  keep_last: { type: 'number', description: 'Characters kept at the end.', schema: { type: 'integer', minimum: 0 } },
  char: { type: 'string', description: 'The character the rest becomes (default X).', schema: { minLength: 1, maxLength: 1 } },
}

/** Keeps the first and/or last N characters and masks the rest: `+1555XXXX`. */
export const partial: Strategy = {
  name: 'partial',
  summary: 'keep the first N / last N characters, mask the rest (keep_first, keep_last, char)',
  injective: false,
  deterministic: true,
  rejects: onlyText,
  params: PARAMS,
  checkParams(p) {
    for (const k of ['keep_first', 'keep_last'] as const)
      if (p[k] !== undefined && (!Number.isInteger(p[k]) || (p[k] as number) < 0)) return `${k} must be a whole number ≥ 0`
    if (p.char !== undefined && String(p.char).length !== 1) return 'char must be one character'
    return undefined
  },
  sql: (expr, p) =>
    `pg_temp.kdb_partial(${expr}, ${Number(p.keep_first ?? 0)}, ${Number(p.keep_last ?? 0)}, ${quoteLiteral(String(p.char ?? 'X'))})`,
  fingerprint: 'value',
}
