import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-drop-not-null', {
  valid: [
    { sql: 'ALTER TABLE users ALTER COLUMN email SET DEFAULT \'\';' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', category: 'drop', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['users', 'email'] },
  ],
})
