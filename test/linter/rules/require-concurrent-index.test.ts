import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-concurrent-index', {
  valid: [
    { sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE users (id int, email text);\nCREATE INDEX users_email_idx ON users (email);' },
    { name: 'new table inside a transaction', sql: 'BEGIN;\nCREATE TABLE "User" (id int);\nCREATE UNIQUE INDEX "User_id_key" ON "User"(id);\nCOMMIT;' },
  ],
  invalid: [
    { sql: 'CREATE INDEX users_email_idx ON users (email);', category: 'index', lock: 'SHARE', verdict: 'risky', message: ['users', 'SHARE lock', 'blocking writes'] },
    { sql: 'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");', lock: 'SHARE', message: ['"User"'] },
  ],
})
