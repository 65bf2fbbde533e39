import { defineRule } from '../define-rule.js'
import { alterCmds, ident, lockOf } from '../rule-helpers.js'

export const banSetGeneratedExpression = defineRule({
  id: 'ban-set-generated-expression',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'ALTER COLUMN ... SET EXPRESSION recomputes a stored generated column for every row (PG >= 17).',
    why: 'Every row is rewritten with the new expression under an ACCESS EXCLUSIVE lock; only a VIRTUAL generated column (PG 18) changes without a rewrite.',
    safeAlternative: 'Add a new column (VIRTUAL on PG 18, or a plain column kept by a trigger and backfilled in batches), switch reads, drop the old one.',
    bad: 'ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * qty);',
  },
  pg: { min: 17 },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_SetExpression')
    if (!found?.cmds.length || ctx.isNewTable(found.alter.relation)) return
    const table = ctx.name(found.alter.relation)
    const col = ident(found.cmds[0].name)
    const pg18 = ctx.pgVersion >= 18
    return {
      severity: pg18 ? 'warning' : undefined,
      message: `SET EXPRESSION on ${table}.${col} recomputes every row under ${lockOf(ctx)}${pg18 ? ' unless the column is VIRTUAL' : ''}.`,
      suggestion: `-- add the new expression as another column, switch reads, then drop ${col}:\nALTER TABLE ${table} ADD COLUMN ${ident(`${found.cmds[0].name}_new`)} numeric; -- ${pg18 ? 'or GENERATED ALWAYS AS (...) VIRTUAL' : 'kept by a trigger, backfilled in batches'}`,
    }
  },
})
