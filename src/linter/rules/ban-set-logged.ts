import { defineRule } from '../define-rule.js'
import { alterCmds, lockOf } from '../rule-helpers.js'

export const banSetLogged = defineRule({
  id: 'ban-set-logged',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'ALTER TABLE ... SET LOGGED / SET UNLOGGED rewrites the table under an ACCESS EXCLUSIVE lock.',
    why: 'Switching persistence copies every row into a new file (and for SET LOGGED writes all of it to WAL) while reads and writes wait. An UNLOGGED table is also emptied after a crash and is not replicated.',
    safeAlternative: 'Create a new table with the wanted persistence, copy in batches, and swap names in a short transaction.',
    bad: 'ALTER TABLE events SET LOGGED;',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt)
    const cmd = found?.cmds.find((c) => c.subtype === 'AT_SetLogged' || c.subtype === 'AT_SetUnLogged')
    if (!found || !cmd || ctx.isNewTable(found.alter.relation)) return
    const table = ctx.name(found.alter.relation)
    const mode = cmd.subtype === 'AT_SetLogged' ? 'LOGGED' : 'UNLOGGED'
    const newTable = `${table.replace(/"$/, '')}_new${table.endsWith('"') ? '"' : ''}`
    return {
      message: `SET ${mode} rewrites every row of ${table} under ${lockOf(ctx)}.`,
      suggestion: `CREATE ${mode === 'UNLOGGED' ? 'UNLOGGED ' : ''}TABLE ${newTable} (LIKE ${table} INCLUDING ALL);\n-- copy rows in batches, then swap names in one short transaction with a lock timeout`,
    }
  },
})
