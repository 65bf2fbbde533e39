import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-truncate', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE staging (id int);\nTRUNCATE staging;' },
  ],
  invalid: [
    { sql: 'TRUNCATE sessions;', category: 'data', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['sessions', 'every row', 'ACCESS EXCLUSIVE'] },
    { sql: 'TRUNCATE TABLE sessions, tokens CASCADE;', message: ['sessions, tokens', 'CASCADE'] },
  ],
})
