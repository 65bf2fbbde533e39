import { expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-delete-rows', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE t (id int);\nDELETE FROM t;' },
    { sql: 'INSERT INTO settings (key, value) VALUES (\'a\', \'b\');' },
  ],
  invalid: [
    { sql: 'DELETE FROM sessions;', category: 'data', lock: 'ROW EXCLUSIVE', verdict: 'risky', message: ['every row', 'sessions'] },
    { sql: 'DELETE FROM "DocumentMeta" WHERE "documentId" IS NULL;', verdict: 'risky', message: ['"DocumentMeta"'] },
  ],
})

it('DELETE with a WHERE is a warning, without one an error', async () => {
  const result = await lint('DELETE FROM a;\nDELETE FROM b WHERE x = 1;')
  const [all, some] = result.files[0].statements.map((s) => s.findings.find((f) => f.rule === 'ban-delete-rows')?.severity)
  expect([all, some]).toEqual(['error', 'warning'])
})
