import { displayName, names } from '../ast.js'
import type { AstNode } from '../types.js'
import { defineRule } from '../define-rule.js'
import { aLock } from '../locks.js'
import { addedConstraints, derivedName, ident, withEnd } from '../rule-helpers.js'

export const requireNotValidForeignKey = defineRule({
  id: 'require-not-valid-foreign-key',
  category: 'constraint',
  severity: 'error',
  docs: {
    summary: 'ADD FOREIGN KEY on an existing table must be added NOT VALID, then validated separately.',
    why: 'Adding a valid foreign key checks every row while holding SHARE ROW EXCLUSIVE locks on both tables: writes to either wait for the whole scan.',
    safeAlternative: 'ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID (instant), then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue).',
    bad: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    good: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
  },
  check(stmt, ctx) {
    const found = addedConstraints(stmt, ctx, (c) => c.contype === 'CONSTR_FOREIGN' && !c.skip_validation)
    if (!found) return
    const { rel, table } = found
    return found.constraints.map((c) => {
      const ref = displayName(c.pktable)
      const name = c.conname ? ident(c.conname) : derivedName(rel, names(c.fk_attrs), 'fkey')
      const fk = withEnd(ctx.statement.text.slice(ctx.statement.text.search(/FOREIGN\s+KEY/i)), '')
      const clause = /FOREIGN\s+KEY/i.test(fk) && found.added === 1
        ? fk
        : `FOREIGN KEY (${names(c.fk_attrs).map(ident).join(', ')}) REFERENCES ${ref}${c.pk_attrs ? ` (${names(c.pk_attrs).map(ident).join(', ')})` : ''}${actions(c)}`
      return {
        message: `Adding foreign key ${name} validates every row of ${table} while holding ${aLock('SHARE ROW EXCLUSIVE', `${table} and ${ref}`)} for the whole scan.`,
        suggestion: `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${clause} NOT VALID;\nALTER TABLE ${table} VALIDATE CONSTRAINT ${name}; -- in a separate transaction: SHARE UPDATE EXCLUSIVE, traffic continues`,
      }
    })
  },
})

/** Codes of pg_constraint.confdeltype / confupdtype, as the parser reports them. */
const ACTION: Record<string, string> = { r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' }

function actions(c: AstNode): string {
  const del = ACTION[c.fk_del_action] ? ` ON DELETE ${ACTION[c.fk_del_action]}` : ''
  const upd = ACTION[c.fk_upd_action] ? ` ON UPDATE ${ACTION[c.fk_upd_action]}` : ''
  return del + upd
}
