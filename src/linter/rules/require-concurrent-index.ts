import { displayIdent } from '../ast.js'
import { defineRule } from '../define-rule.js'

export const requireConcurrentIndex = defineRule({
  id: 'require-concurrent-index',
  category: 'index',
  severity: 'error',
  docs: {
    summary: 'CREATE INDEX on an existing table must use CONCURRENTLY.',
    why: 'A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on the table waits until the index is built.',
    safeAlternative: 'CREATE INDEX CONCURRENTLY, outside a transaction. If it fails, drop the INVALID index it leaves behind and retry.',
    bad: 'CREATE INDEX users_email_idx ON users (email);',
    good: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
  },
  check(stmt, ctx) {
    const index = stmt.IndexStmt
    if (!index || index.concurrent || ctx.isNewTable(index.relation)) return
    const unique = index.unique ? 'UNIQUE ' : ''
    const name = index.idxname ? `${displayIdent(index.idxname)} ` : ''
    const concurrent = ctx.statement.text.replace(/^CREATE\s+(UNIQUE\s+)?INDEX\s+/i, `CREATE ${unique}INDEX CONCURRENTLY `)
    return {
      message: `CREATE ${unique}INDEX ${name}on ${ctx.name(index.relation)} takes a SHARE lock for the whole build, blocking writes and schema changes.`,
      suggestion: `${concurrent};${ctx.transaction !== 'none' ? ' -- in a migration of its own: CONCURRENTLY cannot run inside a transaction' : ''}`,
    }
  },
})
