import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-set-tablespace', {
  valid: [{ name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t SET TABLESPACE archive;' }],
  invalid: [
    { sql: 'ALTER TABLE events SET TABLESPACE archive;', category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['archive', 'events'] },
    { sql: 'ALTER INDEX events_at_idx SET TABLESPACE archive;', lock: 'ACCESS EXCLUSIVE', rewrite: true, message: ['index events_at_idx'] },
  ],
})
