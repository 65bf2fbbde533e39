import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-cluster', {
  valid: [{ name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nCLUSTER t USING t_a;' }],
  invalid: [
    { sql: 'CLUSTER events USING events_created_idx;', category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['events', 'ACCESS EXCLUSIVE'] },
  ],
})
