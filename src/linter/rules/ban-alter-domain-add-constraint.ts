import { names } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { ident, withEnd } from '../rule-helpers.js'

export const banAlterDomainAddConstraint = defineRule({
  id: 'ban-alter-domain-add-constraint',
  category: 'constraint',
  severity: 'error',
  docs: {
    summary: 'ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses the domain.',
    why: 'Postgres scans each table with a column of the domain while locking it against writes; the tables are not even named in the migration.',
    safeAlternative: 'Add it NOT VALID and VALIDATE it separately, or use table CHECK constraints added NOT VALID.',
    bad: 'ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE \'%@%\');',
    good: 'ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE \'%@%\') NOT VALID;\nALTER DOMAIN email VALIDATE CONSTRAINT email_has_at;',
  },
  check(stmt, ctx) {
    const node = stmt.AlterDomainStmt
    if (!node || node.subtype !== 'C' || node.def?.Constraint?.skip_validation) return
    const domain = names(node.typeName).map(ident).join('.')
    if (ctx.facts.createdTypes.has(names(node.typeName).join('.'))) return
    const name = node.def?.Constraint?.conname ? ident(node.def.Constraint.conname) : ident(`${names(node.typeName).pop()}_check`)
    return {
      message: `ALTER DOMAIN ${domain} ADD CONSTRAINT scans every table with a ${domain} column, blocking writes to each while it checks.`,
      suggestion: `${withEnd(ctx.statement.text, '')} NOT VALID;\nALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${name}; -- in a separate transaction`,
    }
  },
})
