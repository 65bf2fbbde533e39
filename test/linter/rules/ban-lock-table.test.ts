import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-lock-table', {
  valid: [
    { sql: 'BEGIN;\nLOCK TABLE users IN ROW EXCLUSIVE MODE;\nCOMMIT;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nLOCK TABLE t;' },
  ],
  invalid: [
    { sql: 'LOCK TABLE users;', category: 'lock', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['users', 'ACCESS EXCLUSIVE'] },
    { sql: 'LOCK TABLE users IN SHARE MODE;', lock: 'SHARE', message: ['blocks writes'] },
  ],
})
