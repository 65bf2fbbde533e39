import { columnConstraints } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { alterCmds, derivedName, ident, lockOf } from '../rule-helpers.js'

export const requireNotValidCheck = defineRule({
  id: 'require-not-valid-check',
  category: 'constraint',
  severity: 'error',
  docs: {
    summary: 'ADD CONSTRAINT ... CHECK on an existing table must be added NOT VALID, then validated separately.',
    why: 'A valid CHECK is verified against every row while an ACCESS EXCLUSIVE lock blocks reads and writes.',
    safeAlternative: 'ADD CONSTRAINT ... CHECK (...) NOT VALID (instant, enforced for new rows), then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE).',
    bad: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);',
    good: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt)
    // Only ADD CONSTRAINT and ADD COLUMN can add a CHECK: others are settled by subcommand type alone (rule-dispatch.ts).
    if (!found?.cmds.some((c) => c.subtype === 'AT_AddConstraint' || c.subtype === 'AT_AddColumn') || ctx.isNewTable(found.alter.relation)) return
    const rel = found.alter.relation
    const table = ctx.name(rel)
    const hits = []
    for (const cmd of found.cmds) {
      if (cmd.subtype === 'AT_AddConstraint') {
        const c = cmd.def?.Constraint
        if (c?.contype !== 'CONSTR_CHECK' || c.skip_validation) continue
        const name = c.conname ? ident(c.conname) : derivedName(rel, [], 'check')
        const expr = checkText(ctx.statement.text)
        hits.push({
          message: `Adding CHECK constraint ${name} verifies every row of ${table} under ${lockOf(ctx)} for the whole scan.`,
          suggestion: `ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK ${expr} NOT VALID;\nALTER TABLE ${table} VALIDATE CONSTRAINT ${name}; -- in a separate transaction: SHARE UPDATE EXCLUSIVE, traffic continues`,
        })
      }
      if (cmd.subtype === 'AT_AddColumn') {
        const def = cmd.def?.ColumnDef
        const c = columnConstraints(def).find((k) => k.contype === 'CONSTR_CHECK' && !k.skip_validation)
        if (!c) continue
        const name = c.conname ? ident(c.conname) : derivedName(rel, [def.colname], 'check')
        hits.push({
          message: `ADD COLUMN ${ident(def.colname)} with a CHECK verifies every row of ${table} under ${lockOf(ctx)}.`,
          suggestion: `-- add the column without the CHECK, then:\nALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK ${checkText(ctx.statement.text)} NOT VALID;\nALTER TABLE ${table} VALIDATE CONSTRAINT ${name}; -- in a separate transaction`,
        })
      }
    }
    return hits
  },
})

/** The parenthesised expression after the first CHECK keyword, balanced; `(true)` if none is found. */
function checkText(sql: string): string {
  const at = sql.search(/\bCHECK\s*\(/i)
  if (at < 0) return '(true)'
  let depth = 0
  const start = sql.indexOf('(', at)
  for (let i = start; i < sql.length; i++) {
    if (sql[i] === '(') depth++
    else if (sql[i] === ')' && --depth === 0) return sql.slice(start, i + 1)
  }
  return '(true)'
}
