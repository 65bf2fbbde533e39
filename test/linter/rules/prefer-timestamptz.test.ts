import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('prefer-timestamptz', {
  valid: [
    { sql: 'CREATE TABLE events (at timestamptz);' },
    { sql: 'CREATE TABLE events (at timestamp with time zone);' },
    { name: 'a column named timestamp', sql: 'CREATE TABLE events ("timestamp" timestamptz);' },
  ],
  invalid: [
    { sql: 'CREATE TABLE events (at timestamp);', category: 'style', verdict: 'safe', message: ['at'] },
    { sql: 'CREATE TABLE "Event" ("createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);' },
    { sql: 'ALTER TABLE events ADD COLUMN at timestamp without time zone;' },
  ],
})
