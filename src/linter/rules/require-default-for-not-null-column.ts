import { columnConstraints } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { addedColumns, ident, lockOf } from '../rule-helpers.js'
import { formatType } from '../type-coercion.js'
import { isSerialType } from '../volatility.js'

export const requireDefaultForNotNullColumn = defineRule({
  id: 'require-default-for-not-null-column',
  category: 'not-null',
  severity: 'error',
  docs: {
    summary: 'ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows.',
    why: 'Existing rows would get NULL in the new column, so Postgres aborts the ALTER ("column contains null values") once the table has data — the migration passes on an empty dev database and fails in production. Old application code also cannot insert rows without the new column.',
    safeAlternative: 'Give the column a constant DEFAULT (catalog-only on PG >= 11), or add it nullable, backfill, then SET NOT NULL through a validated CHECK.',
    bad: 'ALTER TABLE users ADD COLUMN plan text NOT NULL;',
    good: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
  },
  check(stmt, ctx) {
    const found = addedColumns(stmt, ctx)
    if (!found) return
    const { table } = found
    const hits = []
    for (const def of found.defs) {
      const constraints = columnConstraints(def)
      const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY')
      const filled = isSerialType(def?.typeName) ||
        constraints.some((c) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c.contype))
      if (!notNull || filled) continue
      const col = ident(def.colname)
      const type = formatType(def.typeName)
      hits.push({
        message: `ADD COLUMN ${col} ${type} NOT NULL without a DEFAULT fails as soon as ${table} has rows; it takes ${lockOf(ctx)}.`,
        suggestion: `-- either a constant default (no rewrite on PG >= 11):\nALTER TABLE ${table} ADD COLUMN ${col} ${type} NOT NULL DEFAULT ${placeholderFor(type)};\n-- or nullable now, backfill, then SET NOT NULL via a validated CHECK (see require-check-for-set-not-null)`,
      })
    }
    return hits
  },
})

/** A constant of the column's type to put in the suggested DEFAULT. */
function placeholderFor(type: string): string {
  const t = type.toLowerCase()
  if (/^(int|bigint|smallint|numeric|decimal|float|real|double)/.test(t)) return '0'
  if (t.startsWith('bool')) return 'false'
  if (t.startsWith('timestamp') || t === 'date') return 'now()'
  if (t.startsWith('jsonb') || t.startsWith('json')) return `'{}'`
  return `'' /* a value that fits ${type} */`
}
