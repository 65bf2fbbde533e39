import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('prefer-jsonb', {
  valid: [{ sql: 'CREATE TABLE s (v jsonb);' }],
  invalid: [
    { sql: 'CREATE TABLE s (v json);', category: 'style', verdict: 'safe', message: ['v', 'equality operator'] },
    { sql: 'ALTER TABLE "Settings" ADD COLUMN "data" JSON;' },
  ],
})
