import { typeNameOf } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { alterCmds, deploys, ident, lockOf } from '../rule-helpers.js'
import { formatType, typeChangeRewrites } from '../type-coercion.js'

export const banAlterColumnType = defineRule({
  id: 'ban-alter-column-type',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'ALTER COLUMN ... TYPE rewrites the table and its indexes unless the change is binary-coercible.',
    why: 'A rewrite copies every row and rebuilds every index while an ACCESS EXCLUSIVE lock blocks reads and writes. Only widening changes (varchar(n) to varchar(m >= n) or text, numeric precision growth, cidr to inet, ...) are catalog-only; timestamp to timestamptz is only when the session TimeZone is UTC (PG >= 12).',
    safeAlternative: 'Expand/contract: add a column of the new type, dual-write, backfill in batches, switch reads, drop the old column. Or change to a binary-coercible type.',
    bad: 'ALTER TABLE orders ALTER COLUMN total TYPE bigint;',
    good: 'ALTER TABLE users ADD COLUMN nick varchar(20);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(40);',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_AlterColumnType')
    if (!found?.cmds.length || ctx.isNewTable(found.alter.relation)) return
    const rel = found.alter.relation
    const table = ctx.name(rel)
    const hits = []
    for (const cmd of found.cmds) {
      const def = cmd.def?.ColumnDef
      // A type created in this migration (Prisma's enum re-creation) is ban-enum-recreation's case.
      if (ctx.facts.createdTypes.has(typeNameOf(def?.typeName))) continue
      const verdict = typeChangeRewrites(ctx.facts.columnType(rel, cmd.name), def?.typeName, Boolean(def?.raw_default), ctx.pgVersion)
      if (verdict.rewrite === 'no') continue
      const col = ident(cmd.name)
      const type = formatType(def?.typeName)
      const tmp = ident(`${cmd.name}_new`)
      const utc = /TimeZone/.test(verdict.reason) ? `SET LOCAL TimeZone = 'UTC'; -- then the change is catalog-only (PG >= 12)\n` : ''
      hits.push({
        severity: verdict.rewrite === 'maybe' ? 'warning' as const : undefined,
        message: verdict.rewrite === 'yes'
          ? `Changing ${table}.${col} to ${type} rewrites every row and rebuilds its indexes under ${lockOf(ctx)}: ${verdict.reason}.`
          : `Changing ${table}.${col} to ${type} may rewrite every row under ${lockOf(ctx)}: ${verdict.reason}.`,
        suggestion: `${utc}${deploys([
          `add the new column and write both:\nALTER TABLE ${table} ADD COLUMN ${tmp} ${type};`,
          `backfill in batches: UPDATE ${table} SET ${tmp} = ${col}::${type} WHERE id BETWEEN $1 AND $2;`,
          'switch reads to the new column (rename it in a short transaction, with a lock timeout)',
          `ALTER TABLE ${table} DROP COLUMN ${col};`,
        ])}`,
      })
    }
    return hits
  },
})
