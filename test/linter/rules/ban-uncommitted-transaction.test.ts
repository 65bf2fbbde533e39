import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-uncommitted-transaction', {
  valid: [
    { sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;' },
    { sql: 'START TRANSACTION;\nSELECT 1;\nROLLBACK;' },
  ],
  invalid: [{ sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;', statement: 0, category: 'transaction', verdict: 'risky', message: ['never committed'] }],
})
