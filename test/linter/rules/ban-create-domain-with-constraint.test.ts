import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-create-domain-with-constraint', {
  valid: [{ sql: 'CREATE DOMAIN email AS text;' }, { sql: 'CREATE DOMAIN email AS text NOT NULL;' }],
  invalid: [{ sql: "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');", category: 'constraint', verdict: 'risky', message: ['email'] }],
})
