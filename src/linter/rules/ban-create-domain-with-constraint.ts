import { names } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { ident } from '../rule-helpers.js'
import { formatType } from '../type-coercion.js'

export const banCreateDomainWithConstraint = defineRule({
  id: 'ban-create-domain-with-constraint',
  category: 'constraint',
  severity: 'warning',
  docs: {
    summary: 'A domain with a CHECK constraint is hard to change online later.',
    why: 'Changing or adding a domain constraint later re-checks every table using the domain under locks, with no way to stage it per table.',
    safeAlternative: 'Create the domain without constraints and put CHECK constraints on the table columns (they can be added NOT VALID and validated per table).',
    bad: "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');",
    good: 'CREATE DOMAIN email AS text;',
  },
  check(stmt) {
    const node = stmt.CreateDomainStmt
    if (!node || !(node.constraints ?? []).some((c: { Constraint?: { contype?: string } }) => c.Constraint?.contype === 'CONSTR_CHECK')) return
    const domain = names(node.domainname).map(ident).join('.')
    const base = formatType(node.typeName)
    return {
      message: `Domain ${domain} has a CHECK constraint: changing it later re-checks every table that uses the domain, under locks, all at once.`,
      suggestion: `CREATE DOMAIN ${domain} AS ${base};\n-- and per table: ALTER TABLE <t> ADD CONSTRAINT <name> CHECK (<col> ...) NOT VALID; then VALIDATE CONSTRAINT`,
    }
  },
})

