import { displayName, names } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { aLock } from '../locks.js'
import { addedColumnsWithConstraint, derivedName, ident } from '../rule-helpers.js'
import { formatType } from '../type-coercion.js'

export const requireNotValidColumnReference = defineRule({
  id: 'require-not-valid-column-reference',
  category: 'constraint',
  severity: 'error',
  docs: {
    summary: 'ADD COLUMN ... REFERENCES on an existing table adds a validated foreign key in the same step.',
    why: 'The inline REFERENCES validates the new column over the whole table while SHARE ROW EXCLUSIVE locks on both tables (and the ADD COLUMN\'s ACCESS EXCLUSIVE) are held.',
    safeAlternative: 'Add the column plain, add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a separate transaction.',
    bad: 'ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);',
    good: 'ALTER TABLE orders ADD COLUMN user_id bigint;\nALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;',
  },
  check(stmt, ctx) {
    const found = addedColumnsWithConstraint(stmt, ctx, (c) => c.contype === 'CONSTR_FOREIGN' && !c.skip_validation)
    if (!found) return
    const { rel, table } = found
    return found.columns.map(({ def, constraint: fk }) => {
      const col = ident(def.colname)
      const ref = displayName(fk.pktable)
      const refCols = names(fk.pk_attrs).map(ident).join(', ')
      const name = fk.conname ? ident(fk.conname) : derivedName(rel, [def.colname], 'fkey')
      return {
        message: `ADD COLUMN ${col} REFERENCES ${ref} on ${table} validates the foreign key over every row while holding ${aLock('SHARE ROW EXCLUSIVE', ref)} and ${aLock('ACCESS EXCLUSIVE', table)}.`,
        suggestion: `ALTER TABLE ${table} ADD COLUMN ${col} ${formatType(def.typeName)};\nALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (${col}) REFERENCES ${ref}${refCols ? ` (${refCols})` : ''} NOT VALID;\nALTER TABLE ${table} VALIDATE CONSTRAINT ${name}; -- in a separate transaction`,
      }
    })
  },
})
