import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-new-enum-value-use', {
  valid: [
    { name: 'used after COMMIT', sql: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;\nUPDATE orders SET status = 'archived' WHERE closed;" },
    { name: 'no transaction: each statement commits', sql: "ALTER TYPE status ADD VALUE 'archived';\nUPDATE orders SET status = 'archived' WHERE closed;" },
    { name: 'other values are fine', sql: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nUPDATE orders SET status = 'open' WHERE closed;\nCOMMIT;" },
  ],
  invalid: [
    { sql: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nUPDATE orders SET status = 'archived' WHERE closed;\nCOMMIT;", statement: 2, category: 'transaction', verdict: 'risky', message: ["'archived'", 'unsafe use of new value'] },
    { name: 'Prisma single query', sql: "ALTER TYPE \"Status\" ADD VALUE 'ARCHIVED';\nALTER TABLE \"Order\" ALTER COLUMN \"status\" SET DEFAULT 'ARCHIVED';", options: { prisma: true, prismaVersion: '6.0.0' } },
  ],
})
