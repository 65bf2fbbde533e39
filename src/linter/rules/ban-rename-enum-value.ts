import { names } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { ident } from '../rule-helpers.js'

export const banRenameEnumValue = defineRule({
  id: 'ban-rename-enum-value',
  category: 'rename',
  severity: 'error',
  docs: {
    summary: 'Renaming an enum value breaks every client that still writes or compares the old label.',
    why: 'The rename is instant and rewrites no rows, but code deployed before it sends the old label and fails with "invalid input value for enum".',
    safeAlternative: 'Add the new value, write the new value from the application, migrate rows in batches, then stop using the old one (leave it in the type).',
    bad: "ALTER TYPE status RENAME VALUE 'closed' TO 'archived';",
    good: "ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived';",
  },
  check(stmt, ctx) {
    const node = stmt.AlterEnumStmt
    if (!node?.oldVal) return
    const type = names(node.typeName).map(ident).join('.')
    if (ctx.facts.createdTypes.has(names(node.typeName).join('.'))) return
    const quote = (v: string) => `'${v.replace(/'/g, "''")}'`
    return {
      message: `Renaming ${type} value ${quote(node.oldVal)} to ${quote(node.newVal)} breaks every client still using ${quote(node.oldVal)}.`,
      suggestion: `ALTER TYPE ${type} ADD VALUE IF NOT EXISTS ${quote(node.newVal)};\n-- then: write ${quote(node.newVal)} from the application, UPDATE rows in batches (next migration), stop using ${quote(node.oldVal)}`,
    }
  },
})
