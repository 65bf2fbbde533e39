import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-rename-table', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE tmp (id int);\nALTER TABLE tmp RENAME TO accounts;' },
    { sql: 'ALTER TABLE users RENAME COLUMN a TO b;' },
  ],
  invalid: [
    // The suggestion keeps a rename (plus a compatibility view): a multi-deploy sequence, not a one-statement fix.
    { sql: 'ALTER TABLE users RENAME TO accounts;', category: 'rename', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['users', 'accounts'], suggestionFixes: false },
    { sql: 'ALTER TABLE billing."Invoice" RENAME TO "Bill";', message: ['billing."Invoice"'], suggestionFixes: false },
  ],
})
