import { defineRule } from '../define-rule.js'
import { alterCmds, deploys, ident, lockOf } from '../rule-helpers.js'

export const banDropColumn = defineRule({
  id: 'ban-drop-column',
  category: 'drop',
  severity: 'error',
  docs: {
    summary: 'Dropping a column of an existing table loses its data and breaks clients that still read it.',
    why: 'Code deployed before the drop still selects or writes the column and fails; ORMs that list every column fail on any query of the table.',
    safeAlternative: 'Contract in steps: stop reading the column, stop writing it (ignore it in the ORM), then drop it in a later deploy.',
    bad: 'ALTER TABLE users DROP COLUMN legacy_flag;',
    good: '-- after the application no longer references legacy_flag:\nALTER TABLE users DROP COLUMN legacy_flag; -- koinonia-db-ignore ban-drop-column: unused since release 42',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_DropColumn')
    if (!found?.cmds.length || ctx.isNewTable(found.alter.relation)) return
    const table = ctx.name(found.alter.relation)
    const columns = found.cmds.map((c) => ident(c.name))
    return {
      message: `Dropping ${columns.join(', ')} from ${table} deletes that data and breaks clients still using it; it takes ${lockOf(ctx)}.`,
      suggestion: deploys([
        `stop reading ${columns.join(', ')} in the application (and mark it ignored in the ORM)`,
        `stop writing it; check no running version references it`,
        `drop it, with the reason on record:\n-- koinonia-db-ignore ban-drop-column: <release that stopped using it>\nALTER TABLE ${table} ${found.cmds.map((c) => `DROP COLUMN ${ident(c.name)}`).join(', ')};`,
      ]),
    }
  },
})
