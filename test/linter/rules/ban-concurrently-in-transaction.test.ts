import { ruleTester } from '../../helpers/rule-tester.js'

const prisma5 = { prisma: true, prismaVersion: '5.22.0' }
const prisma74 = { prisma: true, prismaVersion: '7.4.0' }
const wrapped = { assumeInTransaction: true }

ruleTester('ban-concurrently-in-transaction', {
  valid: [
    { sql: 'CREATE INDEX CONCURRENTLY i ON users (email);' },
    { name: 'alone in a Prisma < 7.4 migration.sql', sql: 'CREATE INDEX CONCURRENTLY i ON users (email);', options: prisma5 },
    { name: 'Prisma >= 7.4 runs statements one by one', sql: 'ALTER TABLE users ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY i ON users (x);', options: prisma74 },
    { name: 'after COMMIT', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (x);' },
    { name: 'assumeInTransaction, after the file\'s own COMMIT ended the tool\'s transaction', sql: 'ALTER TABLE users ADD COLUMN x int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (x);', options: wrapped },
    { name: 'assumeInTransaction does not change how Prisma runs migration.sql', sql: 'ALTER TABLE users ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY i ON users (x);', options: { ...prisma74, ...wrapped } },
  ],
  invalid: [
    // The fix is to move the statement to its own migration, which a same-file re-lint cannot show.
    { sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY i ON users (email);\nCOMMIT;', statement: 1, category: 'transaction', lock: 'SHARE UPDATE EXCLUSIVE', verdict: 'risky', message: ['CREATE INDEX CONCURRENTLY', 'BEGIN'], suggestionFixes: false },
    { name: 'Prisma < 7.4 with other statements', sql: 'ALTER TABLE users ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY i ON users (x);', options: prisma5, message: ['only statement'], suggestionFixes: false },
    { sql: 'BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;', statement: 1, message: ['DROP INDEX CONCURRENTLY'], suggestionFixes: false },
    { name: 'assumeInTransaction: the migration tool\'s transaction, even for a file of one statement', sql: 'CREATE INDEX CONCURRENTLY i ON users (email);', options: wrapped, message: ['CREATE INDEX CONCURRENTLY fails inside the transaction the migration tool runs this file in'], suggestion: ['disable_ddl_transaction!', 'pgm.noTransaction()'], suggestionFixes: false },
    { sql: 'BEGIN;\nREINDEX INDEX CONCURRENTLY i;\nCOMMIT;', statement: 1, message: ['REINDEX CONCURRENTLY'], suggestionFixes: false },
    { sql: 'BEGIN;\nALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY;\nCOMMIT;', statement: 1, message: ['DETACH PARTITION CONCURRENTLY'], suggestionFixes: false },
  ],
})
