import { constraintColumns } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { addedConstraints, derivedName, ident, lockOf } from '../rule-helpers.js'

export const requireConstraintUsingIndex = defineRule({
  id: 'require-constraint-using-index',
  category: 'index',
  severity: 'error',
  docs: {
    summary: 'ADD PRIMARY KEY / UNIQUE on an existing table builds its index under an ACCESS EXCLUSIVE lock.',
    why: 'The index build reads the whole table while reads and writes wait. A primary key also sets NOT NULL on its columns, scanning again.',
    safeAlternative: 'CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE/PRIMARY KEY USING INDEX (a catalog-only change).',
    bad: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    good: 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
  },
  check(stmt, ctx) {
    const found = addedConstraints(stmt, ctx, (c) => ['CONSTR_PRIMARY', 'CONSTR_UNIQUE'].includes(c.contype) && !c.indexname)
    if (!found) return
    const { rel, table } = found
    return found.constraints.map((c) => {
      const columns = constraintColumns(c)
      const kind = c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'
      const name = c.conname ? ident(c.conname) : derivedName(rel, columns, c.contype === 'CONSTR_PRIMARY' ? 'pkey' : 'key')
      const cols = columns.map(ident).join(', ')
      const pkNote = c.contype === 'CONSTR_PRIMARY' ? `\n-- the key columns must already be NOT NULL (see require-check-for-set-not-null), or USING INDEX scans to set it` : ''
      return {
        message: `Adding ${kind} (${cols}) to ${table} builds a unique index while holding ${lockOf(ctx)} for the whole build.`,
        suggestion: `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${cols}); -- in a migration of its own\nALTER TABLE ${table} ADD CONSTRAINT ${name} ${kind} USING INDEX ${name};${pkNote}`,
      }
    })
  },
})
