import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-set-access-method', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t SET ACCESS METHOD heap;' },
    { name: 'the syntax does not exist before PG 15', sql: 'ALTER TABLE events SET ACCESS METHOD heap;', options: { pgVersion: 14 } },
  ],
  invalid: [
    { sql: 'ALTER TABLE events SET ACCESS METHOD heap2;', category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['heap2', 'events'] },
  ],
})
