import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-set-generated-expression', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE o (p int, q int, t int GENERATED ALWAYS AS (p) STORED);\nALTER TABLE o ALTER COLUMN t SET EXPRESSION AS (p * q);' },
    { name: 'the syntax does not exist before PG 17', sql: 'ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * qty);', options: { pgVersion: 16 } },
  ],
  invalid: [
    { sql: 'ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * qty);', options: { pgVersion: 17 }, category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['orders', 'total'] },
    { name: 'PG 18: unless VIRTUAL', sql: 'ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * qty);', options: { pgVersion: 18 }, message: ['unless the column is VIRTUAL'] },
  ],
})
