import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-set-logged', {
  valid: [{ name: 'table created in the migration', sql: 'CREATE UNLOGGED TABLE t (a int);\nALTER TABLE t SET LOGGED;' }],
  invalid: [
    { sql: 'ALTER TABLE events SET LOGGED;', category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['LOGGED', 'events'] },
    { sql: 'ALTER TABLE events SET UNLOGGED;', rewrite: true, message: ['UNLOGGED'] },
  ],
})
