import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-not-valid-column-reference', {
  valid: [
    { sql: 'ALTER TABLE orders ADD COLUMN user_id bigint;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE o (id int);\nALTER TABLE o ADD COLUMN user_id bigint REFERENCES users (id);' },
  ],
  invalid: [
    { sql: 'ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);', category: 'constraint', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['user_id', 'users', 'SHARE ROW EXCLUSIVE'] },
  ],
})
