import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-drop-column', {
  valid: [
    { sql: 'ALTER TABLE users ADD COLUMN bio text;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;' },
    { name: 'ignored with a reason', sql: '-- koinonia-db-ignore ban-drop-column: unused since v42\nALTER TABLE users DROP COLUMN legacy;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users DROP COLUMN legacy;', category: 'drop', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['legacy', 'users', 'ACCESS EXCLUSIVE'] },
    { sql: 'ALTER TABLE "Post" DROP COLUMN "a", DROP COLUMN "b";', message: ['a, b', '"Post"'] },
    { name: 'inside a transaction', sql: 'BEGIN;\nALTER TABLE users DROP COLUMN IF EXISTS legacy;\nCOMMIT;', statement: 1 },
  ],
})
