import { defineRule } from '../define-rule.js'
import { formatType } from '../type-coercion.js'
import { deploys, ident, lockOf } from '../rule-helpers.js'

export const banRenameColumn = defineRule({
  id: 'ban-rename-column',
  category: 'rename',
  severity: 'error',
  docs: {
    summary: 'Renaming a column of an existing table breaks every running client that still uses the old name.',
    why: 'The rename itself is instant, but application servers deployed before it keep querying the old name and fail until they are replaced; a rollback of the code breaks again.',
    safeAlternative: 'Expand/contract: add the new column, write both, backfill, switch reads, then drop the old column in a later deploy.',
    bad: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
    good: 'ALTER TABLE users ADD COLUMN full_name text;',
  },
  check(stmt, ctx) {
    const node = stmt.RenameStmt
    if (!node || node.renameType !== 'OBJECT_COLUMN' || node.relationType !== 'OBJECT_TABLE') return
    if (ctx.isNewTable(node.relation)) return
    const table = ctx.name(node.relation)
    const [from, to] = [ident(node.subname), ident(node.newname)]
    const known = ctx.facts.columnType(node.relation, node.subname)
    const type = known ? formatType(known) : 'text /* the type of the old column */'
    return {
      message: `Renaming column ${from} of ${table} to ${to} breaks every client still using ${from}; it takes ${lockOf(ctx)}.`,
      suggestion: [
        deploys([
          `add ${to} with the type of ${from}, and make the application write both:\nALTER TABLE ${table} ADD COLUMN ${to} ${type};`,
          `backfill in batches, one transaction per key range:\nUPDATE ${table} SET ${to} = ${from} WHERE ${to} IS NULL AND id BETWEEN $1 AND $2;`,
          `read from ${to}, stop writing ${from}`,
          `ALTER TABLE ${table} DROP COLUMN ${from};`,
        ]),
      ].join('\n'),
    }
  },
})
