import { defineRule } from '../define-rule.js'
import { formatType } from '../type-coercion.js'
import { addedColumnsWithConstraint, derivedName, ident, lockOf } from '../rule-helpers.js'

export const banAddColumnUnique = defineRule({
  id: 'ban-add-column-unique',
  category: 'index',
  severity: 'error',
  docs: {
    summary: 'ADD COLUMN ... UNIQUE / PRIMARY KEY on an existing table builds an index under an ACCESS EXCLUSIVE lock.',
    why: 'The inline constraint builds a unique index over every row while reads and writes wait.',
    safeAlternative: 'Add the column plain, build the unique index CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX.',
    bad: 'ALTER TABLE users ADD COLUMN handle text UNIQUE;',
    good: 'ALTER TABLE users ADD COLUMN handle text;\nCREATE UNIQUE INDEX CONCURRENTLY users_handle_key ON users (handle);\nALTER TABLE users ADD CONSTRAINT users_handle_key UNIQUE USING INDEX users_handle_key;',
  },
  check(stmt, ctx) {
    const found = addedColumnsWithConstraint(stmt, ctx, (k) => k.contype === 'CONSTR_UNIQUE' || k.contype === 'CONSTR_PRIMARY')
    if (!found) return
    const { rel, table } = found
    return found.columns.map(({ def, constraint: c }) => {
      const kind = c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'
      const col = ident(def.colname)
      const name = c.conname ? ident(c.conname) : derivedName(rel, [def.colname], c.contype === 'CONSTR_PRIMARY' ? 'pkey' : 'key')
      const type = formatType(def.typeName)
      return {
        message: `ADD COLUMN ${col} ${kind} builds a unique index on ${table} while holding ${lockOf(ctx)} for the whole build.`,
        suggestion: `ALTER TABLE ${table} ADD COLUMN ${col} ${type};\nCREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${col}); -- in a migration of its own\nALTER TABLE ${table} ADD CONSTRAINT ${name} ${kind} USING INDEX ${name};`,
      }
    })
  },
})
