import { defineRule } from '../define-rule.js'
import { deploys, ident } from '../rule-helpers.js'

export const banRenameSchema = defineRule({
  id: 'ban-rename-schema',
  category: 'rename',
  severity: 'error',
  docs: {
    summary: 'Renaming a schema breaks every client and function that names it.',
    why: 'Queries, search_path settings, functions and grants that spell the old schema name fail at once; strong_migrations flags it for that reason.',
    safeAlternative: 'Create the new schema, move objects with ALTER ... SET SCHEMA while both names resolve (views in the old schema), then drop the old one.',
    bad: 'ALTER SCHEMA billing RENAME TO invoicing;',
  },
  check(stmt) {
    const node = stmt.RenameStmt
    if (!node || node.renameType !== 'OBJECT_SCHEMA') return
    const [from, to] = [ident(node.subname), ident(node.newname)]
    return {
      message: `Renaming schema ${from} to ${to} breaks every query, function and search_path that names ${from}.`,
      suggestion: deploys([
        `create the new schema:\nCREATE SCHEMA IF NOT EXISTS ${to};`,
        `move tables one by one (ALTER TABLE ${from}.<t> SET SCHEMA ${to}) and leave a view under the old name for old clients`,
        `switch clients and search_path to ${to}, then drop ${from} and its views`,
      ]),
    }
  },
})
