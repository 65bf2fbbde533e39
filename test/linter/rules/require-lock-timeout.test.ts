import { expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-lock-timeout', {
  valid: [
    { sql: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN bio text;" },
    { sql: "BEGIN;\nSET LOCAL lock_timeout TO '2s';\nALTER TABLE users ADD COLUMN bio text;\nCOMMIT;" },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;' },
    { name: 'weaker locks do not need it', sql: 'CREATE INDEX CONCURRENTLY i ON users (email);' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users ADD COLUMN bio text;', category: 'lock', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['ACCESS EXCLUSIVE lock on users', 'lock_timeout'] },
    { name: 'SET LOCAL ends with its transaction', sql: "BEGIN;\nSET LOCAL lock_timeout = '2s';\nCOMMIT;\nALTER TABLE users ADD COLUMN bio text;" },
    { name: 'RESET waits forever again', sql: "SET lock_timeout = '2s';\nRESET lock_timeout;\nALTER TABLE users ADD COLUMN bio text;" },
    { name: 'a timeout of 0 waits forever', sql: "SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN bio text;" },
    { name: 'inside a transaction the suggestion uses SET LOCAL', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN bio text;\nCOMMIT;', statement: 1 },
  ],
})

it('fires once per file, on the first ACCESS EXCLUSIVE statement', async () => {
  const result = await lint('ALTER TABLE a ADD COLUMN x int;\nALTER TABLE b ADD COLUMN y int;\nDROP TABLE c;')
  const hits = result.files[0].statements.map((s) => s.findings.some((f) => f.rule === 'require-lock-timeout'))
  expect(hits).toEqual([true, false, false])
})
