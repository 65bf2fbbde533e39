import { defineRule } from '../define-rule.js'
import { alterCmds, ident, lockOf } from '../rule-helpers.js'

export const banDropNotNull = defineRule({
  id: 'ban-drop-not-null',
  category: 'drop',
  severity: 'warning',
  docs: {
    summary: 'Dropping NOT NULL lets NULLs into a column that running clients assume is always set.',
    why: 'Code deployed before the change reads the column as non-null; the first NULL written by new code crashes it. The lock is brief.',
    safeAlternative: 'Make every reader handle NULL first, then drop the constraint in a later deploy.',
    bad: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_DropNotNull')
    if (!found?.cmds.length || ctx.isNewTable(found.alter.relation)) return
    const table = ctx.name(found.alter.relation)
    const columns = found.cmds.map((c) => ident(c.name)).join(', ')
    return {
      message: `Dropping NOT NULL on ${table}.${columns} may break clients that assume it is always set; it takes ${lockOf(ctx)} (brief).`,
      suggestion: `-- deploy 1: make every reader of ${columns} handle NULL\n-- deploy 2:\n-- koinonia-db-ignore ban-drop-not-null: all readers handle NULL\nALTER TABLE ${table} ${found.cmds.map((c) => `ALTER COLUMN ${ident(c.name)} DROP NOT NULL`).join(', ')};`,
    }
  },
})
