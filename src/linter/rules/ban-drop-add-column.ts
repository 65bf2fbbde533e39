import { tableKey } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { alterCmds, deploys, ident } from '../rule-helpers.js'

export const banDropAddColumn = defineRule({
  id: 'ban-drop-add-column',
  category: 'data',
  severity: 'error',
  docs: {
    summary: 'DROP COLUMN and ADD COLUMN on the same table together is usually a rename that loses the data.',
    why: 'Prisma cannot tell a renamed field from a removed one plus a new one: it drops the old column with its data and adds an empty new one.',
    safeAlternative: 'If it is a rename, edit the migration to `ALTER TABLE ... RENAME COLUMN` reviewed consciously, or better expand/contract: add, dual-write, backfill, switch reads, drop.',
    bad: 'ALTER TABLE "User" DROP COLUMN "name",\nADD COLUMN "fullName" TEXT;',
    good: 'ALTER TABLE "User" ADD COLUMN "fullName" TEXT;',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt)
    if (!found || ctx.isNewTable(found.alter.relation)) return
    const added = found.cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => c.def?.ColumnDef?.colname as string)
    if (!added.length) return
    let dropped = found.cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => c.name as string)
    const previous = ctx.facts.lastDroppedColumns
    if (!dropped.length && previous?.table === tableKey(found.alter.relation)) dropped = previous.columns
    if (!dropped.length) return
    const table = ctx.name(found.alter.relation)
    const [from, to] = [ident(dropped[0]), ident(added[0])]
    return {
      message: `${table} drops ${dropped.map(ident).join(', ')} and adds ${added.map(ident).join(', ')} together: if this is a rename (as Prisma generates it), the data of ${from} is lost.`,
      suggestion: [
        `-- if ${to} is ${from} renamed, keep the data; reviewed, in one step:`,
        `-- ALTER TABLE ${table} RENAME COLUMN ${from} TO ${to};`,
        '-- or without breaking running clients:',
        deploys([
          `add the new column and write both:\nALTER TABLE ${table} ADD COLUMN ${to} text; -- the type of ${from}`,
          `backfill: UPDATE ${table} SET ${to} = ${from} WHERE id BETWEEN $1 AND $2;`,
          'switch reads to the new column',
          `ALTER TABLE ${table} DROP COLUMN ${from};`,
        ]),
      ].join('\n'),
    }
  },
})
