import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-drop-schema', {
  valid: [{ sql: 'CREATE SCHEMA reporting;' }],
  invalid: [
    { sql: 'DROP SCHEMA reporting;', category: 'drop', verdict: 'risky', message: ['reporting'] },
    { sql: 'DROP SCHEMA reporting CASCADE;', message: ['CASCADE', 'every table'] },
  ],
})
