import { defineRule } from '../define-rule.js'
import { ident } from '../rule-helpers.js'

export const banDropDatabase = defineRule({
  id: 'ban-drop-database',
  category: 'drop',
  severity: 'error',
  docs: {
    summary: 'A migration must not drop a database.',
    why: 'Every table and row in it is gone; it also fails inside a transaction block.',
    safeAlternative: 'Drop databases by hand, after a backup, outside the migration history.',
    bad: 'DROP DATABASE analytics;',
  },
  check(stmt) {
    const node = stmt.DropdbStmt
    if (!node) return
    return {
      message: `DROP DATABASE ${ident(node.dbname)} deletes every table and row in it; it cannot run inside a transaction block.`,
      suggestion: `-- not in a migration: after a backup (pg_dump -Fc ${ident(node.dbname)}), run by hand:\n-- DROP DATABASE ${ident(node.dbname)};\nSELECT 1;`,
    }
  },
})
