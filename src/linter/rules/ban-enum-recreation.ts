import { typeNameOf } from '../ast.js'
import type { RuleContext } from '../context.js'
import { defineRule } from '../define-rule.js'
import { alterCmds, ident, lockOf } from '../rule-helpers.js'
import { formatType } from '../type-coercion.js'

export const banEnumRecreation = defineRule({
  id: 'ban-enum-recreation',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'Moving a column of an existing table to a type created in this migration rewrites the table — Prisma\'s enum re-creation does this for every table using the enum.',
    why: 'To remove or reorder enum values Prisma renames the enum to "X_old", creates "X" again and converts each column with USING (col::text::"X"): every row of every such table is rewritten under an ACCESS EXCLUSIVE lock, and the cast fails if a row still holds a removed value.',
    safeAlternative: 'Only add values (ALTER TYPE ... ADD VALUE is catalog-only); stop using a value in the application and leave it in the type, or migrate rows off it in batches first and accept the rewrite in a window.',
    bad: 'ALTER TYPE "Role" RENAME TO "Role_old";\nCREATE TYPE "Role" AS ENUM (\'USER\', \'ADMIN\');\nALTER TABLE "User" ALTER COLUMN "role" TYPE "Role" USING ("role"::text::"Role");\nDROP TYPE "Role_old";',
    good: 'ALTER TYPE "Role" ADD VALUE \'OWNER\';',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_AlterColumnType')
    if (!found?.cmds.length || ctx.isNewTable(found.alter.relation)) return
    const table = ctx.name(found.alter.relation)
    const hits = []
    for (const cmd of found.cmds) {
      const typeName = cmd.def?.ColumnDef?.typeName
      const name = typeNameOf(typeName)
      if (!ctx.facts.createdTypes.has(name)) continue
      const type = formatType(typeName)
      // Newer Prisma creates "X_new" and renames it to "X" afterwards: the enum to keep is "X".
      const existing = name.endsWith('_new') ? formatType({ names: [{ String: { sval: name.slice(0, -4) } }] }) : type
      const prisma = isPrismaRecreation(name, ctx)
        ? ` This is Prisma's enum re-creation (the enum is created again as ${type} and swapped in through a "_old" rename): every table using the enum is rewritten, and the cast fails if a row still holds a value the new type drops.`
        : ''
      hits.push({
        message: `Converting ${table}.${ident(cmd.name)} to ${type}, a type created in this migration, rewrites every row under ${lockOf(ctx)}.${prisma}`,
        suggestion: `-- keep the existing enum and only add values (catalog-only, no rewrite):\nALTER TYPE ${existing} ADD VALUE IF NOT EXISTS 'NEW_VALUE';\n-- to retire a value: stop writing it, migrate rows off it in batches, and leave it in the type`,
      })
    }
    return hits
  },
})

/**
 * Prisma re-creates an enum either as "X" after renaming the old one to "X_old" (Prisma < 5) or as
 * "X_new", swapped in by renaming "X" to "X_old" afterwards.
 */
function isPrismaRecreation(name: string, ctx: RuleContext): boolean {
  if (name.endsWith('_new')) return true
  if ([...ctx.facts.renamedTypes.values()].some((from) => from === name)) return true
  return ctx.statements.some((s) => s.kind === 'RenameStmt' && s.stmt.RenameStmt.renameType === 'OBJECT_TYPE' && String(s.stmt.RenameStmt.newname).endsWith('_old'))
}
