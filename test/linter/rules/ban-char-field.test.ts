import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-char-field', {
  valid: [{ sql: 'CREATE TABLE c (code text);' }, { sql: 'CREATE TABLE c (code varchar(2));' }],
  invalid: [
    { sql: 'CREATE TABLE c (code char(2));', category: 'style', verdict: 'safe', message: ['code'] },
    { sql: 'ALTER TABLE c ADD COLUMN k character(3);' },
  ],
})
