import { tableKey } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { alterCmds, ident, lockOf } from '../rule-helpers.js'

export const requireCheckForSetNotNull = defineRule({
  id: 'require-check-for-set-not-null',
  category: 'not-null',
  severity: 'error',
  docs: {
    summary: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock unless a validated CHECK (col IS NOT NULL) proves it.',
    why: 'Postgres reads every row to prove there is no NULL while reads and writes wait, and fails if a NULL remains. From PG 12 a validated CHECK (col IS NOT NULL) lets it skip the scan.',
    safeAlternative: 'PG >= 12: ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT (separate transaction, no blocking lock); SET NOT NULL; DROP CONSTRAINT. Backfill NULLs first.',
    bad: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    good: 'ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_not_null;',
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_SetNotNull')
    if (!found?.cmds.length || ctx.isNewTable(found.alter.relation)) return
    const rel = found.alter.relation
    const table = ctx.name(rel)
    const hits = []
    for (const cmd of found.cmds) {
      const column: string = cmd.name
      const col = ident(column)
      const proof = ctx.facts.notNullCheck(rel, column)
      if (ctx.pgVersion >= 12 && proof === 'validated') continue
      // An UPDATE earlier in the migration filled the column: the issue counts that as backfilled.
      // The scan under ACCESS EXCLUSIVE still happens; the statement's effects report it.
      if (ctx.facts.isBackfilled(rel, column)) continue
      const earlier = ctx.facts.notNullChecks.find((c) => c.table === tableKey(rel) && c.column === column)?.constraint
      const check = ident(earlier ?? `${rel.relname}_${column}_not_null`.slice(0, 63))
      if (ctx.pgVersion < 12) {
        hits.push({
          message: `SET NOT NULL on ${table}.${col} scans every row under ${lockOf(ctx)}; PG ${ctx.pgVersion} cannot use a CHECK constraint to skip the scan.`,
          suggestion: `-- PG ${ctx.pgVersion} has no scan-free path. Backfill NULLs first, then either run SET NOT NULL in a low-traffic window with a lock timeout,\n-- or keep a validated CHECK instead of NOT NULL:\nALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;\nALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`,
        })
        continue
      }
      const why = proof === 'not-valid'
        ? `the CHECK (${col} IS NOT NULL) added earlier is NOT VALID, so it proves nothing until validated`
        : 'no validated CHECK (col IS NOT NULL) proves it'
      hits.push({
        message: `SET NOT NULL on ${table}.${col} scans every row under ${lockOf(ctx)}: ${why}.`,
        suggestion: [
          proof === 'not-valid' ? '' : `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;`,
          `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}; -- in its own transaction: SHARE UPDATE EXCLUSIVE only`,
          `ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL; -- no scan: the validated CHECK proves it`,
          `ALTER TABLE ${table} DROP CONSTRAINT ${check};`,
        ].filter(Boolean).join('\n'),
      })
    }
    return hits
  },
})
