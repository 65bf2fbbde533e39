import { type ParamSpec, keyedOffset, type ColumnType, type Strategy } from './strategy.js'

/** The largest magnitude each integer type holds. */
const INTEGER_MAX: Record<string, string> = { int2: '32767', int4: '2147483647', int8: '9223372036854775807' }
const FLOATS = new Set(['float4', 'float8'])

const PARAMS: Record<string, ParamSpec> = {
  ratio: { type: 'number', description: 'At most this share of the value up or down (above 0, at most 1; default 0.1).', schema: { exclusiveMinimum: 0, maximum: 1 } },
  by: { type: 'string', description: 'A column of the same table: rows with the same value there move by the same share (per entity).' },
}

/**
 * Moves numbers by keyed noise of ±`ratio` of their value (default 10%), as PostgreSQL Anonymizer's
 * noise() and Greenmask's NoiseNumeric do: amounts, salaries, donations keep their scale and their
 * sums stay close, but no row keeps its value. Keyed on the value, or on another column (`by:
 * user_id`) so one person's numbers move together. The result is rounded as the column rounds and
 * held inside what the column can store (an integer at its type's limit, a numeric(p,s) below
 * 10^(p-s)), so the noise never makes the rewrite fail.
 */
export const noise: Strategy = {
  name: 'noise',
  summary: 'move numbers by keyed noise of ±ratio (default 0.1); by: <column> moves a whole entity together',
  injective: false,
  deterministic: true,
  rejects: (c) => (c.typeName in INTEGER_MAX || c.typeName === 'numeric' || FLOATS.has(c.typeName) ? undefined : `needs a number column (integer, numeric, real, double precision), this one is ${c.sqlType}`),
  params: PARAMS,
  checkParams(p) {
    if (p.ratio !== undefined && !((p.ratio as number) > 0 && (p.ratio as number) <= 1)) return 'ratio must be above 0 and at most 1'
    return undefined
  },
  sql(expr, p, c) {
    const ratio = Number(p.ratio ?? 0.1)
    // A keyed draw in [-1, 1] in steps of 1/1000.
    const draw = `${keyedOffset('noise', expr, p.by, 1000)} / 1000.0`
    const moved = `(${expr}::numeric * (1 + ${draw} * ${ratio}))`
    const max = limitOf(c)
    const held = max === null ? moved : `least(greatest(${moved}, -${max}), ${max})`
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE ${held}::${c.sqlType} END`
  },
  fingerprint: 'none',
}

/** The largest magnitude the column stores, as SQL; null when nothing realistic reaches it. */
function limitOf(c: ColumnType): string | null {
  if (c.typeName in INTEGER_MAX) return INTEGER_MAX[c.typeName]
  const scaled = /^numeric\((\d+)(?:,(\d+))?\)/.exec(c.sqlType)
  if (!scaled) return null
  const [precision, scale] = [Number(scaled[1]), Number(scaled[2] ?? 0)]
  // 999.99 for numeric(5,2): the largest value that rounds into it.
  return `(10::numeric ^ ${precision - scale} - 10::numeric ^ ${-scale})`
}
