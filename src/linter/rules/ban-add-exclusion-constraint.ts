import { defineRule } from '../define-rule.js'
import { addedConstraints, lockOf, withEnd } from '../rule-helpers.js'

export const banAddExclusionConstraint = defineRule({
  id: 'ban-add-exclusion-constraint',
  category: 'constraint',
  severity: 'error',
  docs: {
    summary: 'ADD CONSTRAINT ... EXCLUDE on an existing table builds its index under an ACCESS EXCLUSIVE lock.',
    why: 'Unlike UNIQUE, an exclusion constraint cannot be attached to an index built concurrently (no USING INDEX), and it cannot be added NOT VALID: reads and writes wait for the whole build and check.',
    safeAlternative: 'Add it while the table is new or small, in a maintenance window, or enforce the rule with a trigger plus a concurrently built index.',
    bad: 'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);',
  },
  check(stmt, ctx) {
    const found = addedConstraints(stmt, ctx, (c) => c.contype === 'CONSTR_EXCLUSION')
    if (!found?.constraints.length) return
    const { table } = found
    return {
      message: `Adding an exclusion constraint to ${table} builds and checks its index under ${lockOf(ctx)}; there is no concurrent or NOT VALID form.`,
      suggestion: `-- no online form exists: run it in a maintenance window with a lock timeout, or enforce with a trigger:\nSET lock_timeout = '5s';\n-- koinonia-db-ignore ban-add-exclusion-constraint: maintenance window, table size checked\n${withEnd(ctx.statement.text, ';')}`,
    }
  },
})
