import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-drop-database', {
  valid: [{ sql: 'DROP TABLE IF EXISTS t_created;\nCREATE TABLE t_created (id int);' }],
  invalid: [{ sql: 'DROP DATABASE analytics;', category: 'drop', verdict: 'risky', lock: null, message: ['analytics'] }],
})
