import { ruleTester } from '../../helpers/rule-tester.js'

const prisma5 = { prisma: true, prismaVersion: '5.22.0' }
const prisma74 = { prisma: true, prismaVersion: '7.4.0' }

ruleTester('ban-concurrently-in-transaction', {
  valid: [
    { sql: 'CREATE INDEX CONCURRENTLY i ON users (email);' },
    { name: 'alone in a Prisma < 7.4 migration.sql', sql: 'CREATE INDEX CONCURRENTLY i ON users (email);', options: prisma5 },
    { name: 'Prisma >= 7.4 runs statements one by one', sql: 'ALTER TABLE users ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY i ON users (x);', options: prisma74 },
    { name: 'after COMMIT', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (x);' },
  ],
  invalid: [
    // The fix is to move the statement to its own migration, which a same-file re-lint cannot show.
    { sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY i ON users (email);\nCOMMIT;', statement: 1, category: 'transaction', lock: 'SHARE UPDATE EXCLUSIVE', verdict: 'risky', message: ['CREATE INDEX CONCURRENTLY', 'BEGIN'], suggestionFixes: false },
    { name: 'Prisma < 7.4 with other statements', sql: 'ALTER TABLE users ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY i ON users (x);', options: prisma5, message: ['only statement'], suggestionFixes: false },
    { sql: 'BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;', statement: 1, message: ['DROP INDEX CONCURRENTLY'], suggestionFixes: false },
    { sql: 'BEGIN;\nREINDEX INDEX CONCURRENTLY i;\nCOMMIT;', statement: 1, message: ['REINDEX CONCURRENTLY'], suggestionFixes: false },
    { sql: 'BEGIN;\nALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY;\nCOMMIT;', statement: 1, message: ['DETACH PARTITION CONCURRENTLY'], suggestionFixes: false },
  ],
})
