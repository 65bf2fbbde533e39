import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-add-enum-value-in-transaction', {
  valid: [
    { name: 'PG 12 allows it in a transaction', sql: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;", options: { pgVersion: 12 } },
    { name: 'outside a transaction on PG 11', sql: "ALTER TYPE status ADD VALUE 'archived';", options: { pgVersion: 11 } },
    { name: 'alone in a Prisma single-query file', sql: "ALTER TYPE status ADD VALUE 'archived';", options: { pgVersion: 11, prisma: true, prismaVersion: '5.0.0' } },
  ],
  invalid: [
    // The fix is a migration of its own; in the same file after BEGIN it still fails.
    { sql: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;", statement: 1, options: { pgVersion: 11 }, category: 'transaction', verdict: 'risky', message: ['PG 11', 'BEGIN'], suggestionFixes: false },
    { name: 'Prisma single query with other statements', sql: "ALTER TYPE status ADD VALUE 'archived';\nALTER TABLE t ADD COLUMN x int;", statement: 0, options: { pgVersion: 11, prisma: true, prismaVersion: '5.0.0' }, message: ['Prisma'], suggestionFixes: false },
  ],
})
