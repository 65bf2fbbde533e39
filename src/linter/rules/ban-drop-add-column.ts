import { tableKey } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { alterCmds, deploys, ident, lockOf } from '../rule-helpers.js'
import { formatType } from '../type-coercion.js'

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
    // ADD COLUMN first: without one the subcommand types settle it (rule-dispatch.ts).
    if (!found?.cmds.some((c) => c.subtype === 'AT_AddColumn') || ctx.isNewTable(found.alter.relation)) return
    const addedDefs = found.cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => c.def?.ColumnDef).filter(Boolean)
    if (!addedDefs.length) return
    const added = addedDefs.map((d) => d.colname as string)
    let dropped = found.cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => c.name as string)
    const previous = ctx.facts.lastDroppedColumns
    if (!dropped.length && previous?.table === tableKey(found.alter.relation)) dropped = previous.columns
    if (!dropped.length) return
    const table = ctx.name(found.alter.relation)
    const recreated = added.find((name) => dropped.includes(name))
    if (recreated) {
      const def = addedDefs.find((d) => d.colname === recreated)
      const [col, tmp, type] = [ident(recreated), ident(`${recreated}_new`), formatType(def.typeName)]
      return {
        message: `${table} drops ${col} and adds it again as ${type} (Prisma's way to change a column's type): every value of ${col} is lost; it takes ${lockOf(ctx)}.`,
        suggestion: deploys([
          `add the new column and write both:\nALTER TABLE ${table} ADD COLUMN ${tmp} ${type};`,
          `backfill, converting the old values: UPDATE ${table} SET ${tmp} = <conversion of ${col}> WHERE id BETWEEN $1 AND $2;`,
          `switch reads to ${tmp}, then drop ${col} and rename ${tmp} in a short transaction with a lock timeout`,
        ]),
      }
    }
    const [from, to] = [ident(dropped[0]), ident(added[0])]
    const type = formatType(addedDefs[0].typeName)
    return {
      message: `${table} drops ${dropped.map(ident).join(', ')} and adds ${added.map(ident).join(', ')} together: if this is a rename (as Prisma generates it), the data of ${from} is lost, and clients still using ${from} break; it takes ${lockOf(ctx)}.`,
      suggestion: [
        `-- if ${to} is ${from} renamed, keep the data; reviewed, in one step:`,
        `-- ALTER TABLE ${table} RENAME COLUMN ${from} TO ${to};`,
        '-- or without breaking running clients:',
        deploys([
          `add the new column and write both:\nALTER TABLE ${table} ADD COLUMN ${to} ${type};`,
          `backfill: UPDATE ${table} SET ${to} = ${from} WHERE id BETWEEN $1 AND $2;`,
          'switch reads to the new column',
          `ALTER TABLE ${table} DROP COLUMN ${from};`,
        ]),
      ].join('\n'),
    }
  },
})
