import { names } from '../ast.js'
import { defineRule } from '../define-rule.js'

export const banDropSchema = defineRule({
  id: 'ban-drop-schema',
  category: 'drop',
  severity: 'error',
  docs: {
    summary: 'DROP SCHEMA removes every object in it (with CASCADE) or fails (without).',
    why: 'With CASCADE every table, view and function of the schema and its data is gone; ACCESS EXCLUSIVE locks are taken on each table.',
    safeAlternative: 'Drop the schema\'s objects one by one in reviewed migrations after the application stops using them.',
    bad: 'DROP SCHEMA reporting CASCADE;',
  },
  check(stmt) {
    const node = stmt.DropStmt
    if (!node || node.removeType !== 'OBJECT_SCHEMA') return
    const schemas = (node.objects ?? []).map((o: { String?: { sval: string } }) => o.String?.sval).filter(Boolean).join(', ') || names(node.objects)
    const cascade = node.behavior === 'DROP_CASCADE'
    return {
      message: `DROP SCHEMA ${schemas}${cascade ? ' CASCADE deletes every table, view and function in it with their data' : ' deletes the schema and fails if anything is left in it'}; each table gets an ACCESS EXCLUSIVE lock (blocks reads, writes and schema changes).`,
      suggestion: `-- drop the schema's objects in reviewed migrations first, then:\n-- koinonia-db-ignore ban-drop-schema: <why it is empty and unused>\nDROP SCHEMA ${schemas};`,
    }
  },
})
