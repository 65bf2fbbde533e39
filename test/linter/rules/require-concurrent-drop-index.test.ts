import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-concurrent-drop-index', {
  valid: [
    { sql: 'DROP INDEX CONCURRENTLY users_email_idx;' },
    { name: 'index of a table created in the migration', sql: 'CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);\nDROP INDEX t_a_idx;' },
  ],
  invalid: [
    { sql: 'DROP INDEX users_email_idx;', category: 'index', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['users_email_idx', 'ACCESS EXCLUSIVE'] },
    { name: 'several indexes become one statement each', sql: 'DROP INDEX IF EXISTS a_idx, "B_idx";', message: ['a_idx', '"B_idx"'] },
    { name: 'index created on an existing table', sql: 'CREATE INDEX CONCURRENTLY x_idx ON users (x);\nDROP INDEX x_idx;' },
  ],
})
