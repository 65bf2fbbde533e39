import { tableKey } from '../ast.js'
import type { RuleContext } from '../context.js'
import { defineRule } from '../define-rule.js'
import type { AstNode } from '../types.js'
import { deploys, ident, laterStatement, lockOf } from '../rule-helpers.js'

export const banRenameTable = defineRule({
  id: 'ban-rename-table',
  category: 'rename',
  severity: 'error',
  docs: {
    summary: 'Renaming an existing table breaks every running client that still uses the old name.',
    why: 'Code deployed before the rename keeps querying the old name and fails until it is replaced.',
    safeAlternative: 'Rename, then create a view with the old name in the same transaction so old code keeps working; drop the view once no client uses it.',
    bad: 'ALTER TABLE users RENAME TO accounts;',
    good: 'BEGIN;\nALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts;\nCOMMIT;',
  },
  check(stmt, ctx) {
    const node = stmt.RenameStmt
    if (!node || node.renameType !== 'OBJECT_TABLE' || ctx.isNewTable(node.relation)) return
    if (ctx.transaction !== 'none' && keepsOldNameAsView(node.relation, ctx)) return
    const table = ctx.name(node.relation)
    const to = ident(node.newname)
    const schema = node.relation.schemaname ? `${ident(node.relation.schemaname)}.` : ''
    return {
      message: `Renaming ${table} to ${to} breaks every client still using ${table}; it takes ${lockOf(ctx)}.`,
      suggestion: deploys([
        `rename and keep the old name as a simple (auto-updatable) view:\nBEGIN;\nALTER TABLE ${table} RENAME TO ${to};\nCREATE VIEW ${table} AS SELECT * FROM ${schema}${to};\nCOMMIT;`,
        `switch the application to ${to}`,
        `DROP VIEW ${table};`,
      ]),
    }
  },
})

const ENDS = ['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK']

/** A later CREATE VIEW with the old name, in the same transaction: old clients keep working. */
function keepsOldNameAsView(rel: AstNode, ctx: RuleContext): boolean {
  // The transaction's end, or such a view before it: whichever comes first answers.
  const first = laterStatement(ctx, (s) =>
    s.kind === 'TransactionStmt' ? ENDS.includes(s.stmt.TransactionStmt.kind) : s.kind === 'ViewStmt' && tableKey(s.stmt.ViewStmt.view) === tableKey(rel))
  return first?.kind === 'ViewStmt'
}
