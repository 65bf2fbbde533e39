import { defineRule } from '../define-rule.js'
import { lockOf } from '../rule-helpers.js'
import type { AstNode } from '../types.js'

export const banSetTablespace = defineRule({
  id: 'ban-set-tablespace',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'ALTER TABLE/INDEX ... SET TABLESPACE copies the relation under an ACCESS EXCLUSIVE lock.',
    why: 'Every block of the table (or index) is copied to the new tablespace while reads and writes wait.',
    safeAlternative: 'pg_repack --tablespace moves a table online; for an index, build a new one CONCURRENTLY in the target tablespace and drop the old one.',
    bad: 'ALTER TABLE events SET TABLESPACE archive;',
  },
  check(stmt, ctx) {
    const node = stmt.AlterTableStmt
    if (!node || !['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_MATVIEW'].includes(node.objtype)) return
    const cmd = (node.cmds ?? []).map((c: AstNode) => c.AlterTableCmd).find((c: AstNode) => c?.subtype === 'AT_SetTableSpace')
    if (!cmd || (node.objtype !== 'OBJECT_INDEX' && ctx.isNewTable(node.relation))) return
    const name = ctx.name(node.relation)
    const index = node.objtype === 'OBJECT_INDEX'
    return {
      message: `SET TABLESPACE ${cmd.name} copies every block of ${index ? `index ${name}` : name} under ${lockOf(ctx, 'ACCESS EXCLUSIVE', index ? "the index's table" : name)}.`,
      suggestion: index
        ? `-- build a copy in the target tablespace and swap, outside a transaction block:\n-- CREATE INDEX CONCURRENTLY <name>_new ON <table> (<same definition>) TABLESPACE ${cmd.name};\n-- DROP INDEX CONCURRENTLY ${name};\n-- ALTER INDEX <name>_new RENAME TO ${name};`
        : `-- move it online, outside the migration:\n-- pg_repack --table ${name} --tablespace ${cmd.name}`,
    }
  },
})
