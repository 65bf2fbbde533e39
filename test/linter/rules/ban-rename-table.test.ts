import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-rename-table', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE tmp (id int);\nALTER TABLE tmp RENAME TO accounts;' },
    { sql: 'ALTER TABLE users RENAME COLUMN a TO b;' },
    { name: 'the old name stays as a view in the same transaction', sql: 'BEGIN;\nALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts;\nCOMMIT;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users RENAME TO accounts;', category: 'rename', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['users', 'accounts'] },
    { sql: 'ALTER TABLE billing."Invoice" RENAME TO "Bill";', message: ['billing."Invoice"'] },
    { name: 'a view created after COMMIT leaves a gap', sql: 'BEGIN;\nALTER TABLE users RENAME TO accounts;\nCOMMIT;\nCREATE VIEW users AS SELECT * FROM accounts;', statement: 1 },
  ],
})
