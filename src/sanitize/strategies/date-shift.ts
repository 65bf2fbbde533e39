import { type ParamSpec, keyedOffset, type Strategy } from './strategy.js'

const TYPES = new Set(['date', 'timestamp', 'timestamptz'])

const PARAMS: Record<string, ParamSpec> = {
  days: { type: 'number', description: 'At most this many days earlier or later (default 30).', schema: { type: 'integer', minimum: 1 } },
  by: { type: 'string', description: 'A column of the same table: rows with the same value there move by the same offset (per entity).' },
}

/**
 * Moves each date by a keyed noise of ±`days`. The noise is keyed on the value, or on another column
 * (`by: user_id`) so all dates of one person move together and their order survives.
 */
export const dateShift: Strategy = {
  name: 'date-shift',
  summary: 'shift dates by keyed noise of ±days (default 30); by: <column> shifts a whole entity together',
  injective: false,
  deterministic: true,
  rejects: (c) => (TYPES.has(c.typeName) ? undefined : `needs a date or timestamp column, this one is ${c.sqlType}`),
  params: PARAMS,
  checkParams(p) {
    if (p.days !== undefined && (!Number.isInteger(p.days) || (p.days as number) < 1)) return 'days must be a whole number ≥ 1'
    return undefined
  },
  sql(expr, p, c) {
    const days = Number(p.days ?? 30)
    const offset = keyedOffset('shift', expr, p.by, days)
    return c.typeName === 'date' ? `(${expr} + ${offset}::int)` : `(${expr} + ${offset} * interval '1 day')`
  },
  fingerprint: 'none',
}
