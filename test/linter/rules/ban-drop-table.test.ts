import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-drop-table', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE tmp (id int);\nDROP TABLE tmp;' },
    { sql: 'DROP VIEW old_view;' },
  ],
  invalid: [
    { sql: 'DROP TABLE sessions;', category: 'drop', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['sessions', 'ACCESS EXCLUSIVE'] },
    { sql: 'DROP TABLE IF EXISTS "Session" CASCADE;', message: ['"Session"', 'CASCADE'] },
    { sql: 'DROP MATERIALIZED VIEW daily;', message: ['daily'] },
  ],
})
