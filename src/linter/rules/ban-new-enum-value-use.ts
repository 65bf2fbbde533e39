import { withEnd } from '../rule-helpers.js'
import { walk } from '../ast.js'
import { defineRule } from '../define-rule.js'
import type { AstNode } from '../types.js'

export const banNewEnumValueUse = defineRule({
  id: 'ban-new-enum-value-use',
  category: 'transaction',
  severity: 'error',
  docs: {
    summary: 'A value added with ALTER TYPE ... ADD VALUE cannot be used in the same transaction.',
    why: 'From PG 12 ADD VALUE may run in a transaction, but the new value is unusable until it commits: "unsafe use of new value" aborts the migration.',
    safeAlternative: 'Commit the ADD VALUE first: put the statements that use the value in the next migration (or after COMMIT).',
    bad: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nUPDATE orders SET status = 'archived' WHERE closed;\nCOMMIT;",
  },
  pg: { min: 12 },
  check(stmt, ctx) {
    if (ctx.transaction === 'none' || ctx.facts.enumValuesInTransaction.size === 0 || stmt.AlterEnumStmt) return
    const added = new Map<string, string>()
    for (const key of ctx.facts.enumValuesInTransaction) {
      const dot = key.lastIndexOf('.')
      added.set(key.slice(dot + 1), key.slice(0, dot))
    }
    let used: string | undefined
    walk(stmt, (key: string, value: AstNode) => {
      if (!used && key === 'A_Const' && typeof value?.sval?.sval === 'string' && added.has(value.sval.sval)) used = value.sval.sval
    })
    if (!used) return
    return {
      message: `'${used}' was added to enum ${added.get(used)} earlier in this transaction; using it before COMMIT fails with "unsafe use of new value".`,
      suggestion: `COMMIT; -- commit the ADD VALUE first (or move this statement to the next migration)\n${withEnd(ctx.statement.text, ';')}`,
    }
  },
})
