import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-statement-timeout', {
  valid: [
    { sql: "SET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT p CHECK (total >= 0);" },
    { name: 'no scan', sql: 'ALTER TABLE orders ADD COLUMN note text;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);' },
  ],
  invalid: [
    { sql: 'ALTER TABLE orders ADD CONSTRAINT p CHECK (total >= 0);', category: 'lock', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['orders', 'statement_timeout'] },
    { sql: 'CREATE INDEX i ON orders (x);', lock: 'SHARE' },
  ],
})

ruleTester('require-statement-timeout', {
  valid: [
    { name: 'VALIDATE blocks no traffic', sql: 'ALTER TABLE orders VALIDATE CONSTRAINT p;' },
    { name: 'CREATE INDEX CONCURRENTLY blocks no traffic', sql: 'CREATE INDEX CONCURRENTLY i ON orders (x);' },
  ],
  invalid: [],
})
