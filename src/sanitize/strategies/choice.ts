import { quoteLiteral } from '../../postgres/sql.js'
import { isJson, keyedIndex, type ParamSpec, type Strategy } from './strategy.js'

const PARAMS: Record<string, ParamSpec> = {
  values: {
    type: 'array',
    description: 'The values to choose from: at least two, each written as the column takes it (text, a number, an enum label, a date).',
    schema: { minItems: 2, items: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } },
  },
  by: { type: 'string', description: 'A column of the same table: rows with the same value there get the same choice (per entity).' },
}

/**
 * A keyed choice from a list, as PostgreSQL Anonymizer's random_in() and Greenmask's RandomChoice
 * do, but deterministic: the same original (or the same `by` value) always gets the same value, so
 * a category stays consistent across tables and runs under one key. For categories that identify in
 * combination (gender, country, job title, blood type). Not injective: refused on unique columns.
 * Its values are a small set that may well hold originals, so the leak scan does not look for them.
 */
export const choice: Strategy = {
  name: 'choice',
  summary: 'a keyed choice from `values` (country, gender, job title): the same original gets the same value; by: <column> chooses per entity',
  injective: false,
  deterministic: true,
  rejects: (c) => (isJson(c) ? `a JSON column takes the jsonb strategy's paths, not one value for the whole document (${c.sqlType})` : undefined),
  params: PARAMS,
  required: ['values'],
  checkParams(p) {
    const values = p.values as unknown[] | undefined
    if (!values || values.length < 2) return 'needs `values`, a list of at least two'
    if (values.some((v) => !['string', 'number', 'boolean'].includes(typeof v))) return 'values must be strings, numbers or booleans'
    return undefined
  },
  literals: (p) => (p.values as unknown[]).map(String),
  sql(expr, p, c) {
    const values = (p.values as unknown[]).map((v) => quoteLiteral(String(v)))
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE (ARRAY[${values.join(', ')}]::${c.sqlType}[])[1 + ${keyedIndex('choice', expr, p.by, values.length)}] END`
  },
  fingerprint: 'none',
}
