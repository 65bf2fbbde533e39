import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-add-column-unique', {
  valid: [
    { sql: 'ALTER TABLE users ADD COLUMN handle text;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int UNIQUE;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users ADD COLUMN handle text UNIQUE;', category: 'index', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['handle', 'UNIQUE', 'users'] },
    { sql: 'ALTER TABLE orders ADD COLUMN id bigint PRIMARY KEY;', message: ['PRIMARY KEY', 'orders'] },
  ],
})
