import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-rename-schema', {
  valid: [{ sql: 'CREATE SCHEMA invoicing;' }],
  invalid: [{ sql: 'ALTER SCHEMA billing RENAME TO invoicing;', category: 'rename', verdict: 'risky', message: ['billing', 'invoicing'] }],
})
