import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-transaction-nesting', {
  valid: [{ sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;\nBEGIN;\nCOMMIT;' }],
  invalid: [{ sql: 'BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;', statement: 1, category: 'transaction', verdict: 'risky', message: ['first COMMIT'] }],
})
