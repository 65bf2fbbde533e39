import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-vacuum-in-transaction', {
  valid: [
    { sql: 'VACUUM users;' },
    { name: 'ANALYZE alone is allowed', sql: 'BEGIN;\nANALYZE users;\nCOMMIT;' },
  ],
  invalid: [
    { sql: 'BEGIN;\nVACUUM users;\nCOMMIT;', statement: 1, category: 'transaction', verdict: 'risky', message: ['VACUUM', 'BEGIN'] },
    { name: 'VACUUM ANALYZE suggests ANALYZE', sql: 'BEGIN;\nVACUUM (ANALYZE) users;\nCOMMIT;', statement: 1 },
    { name: 'Prisma < 7.4 multi-statement file', sql: 'ALTER TABLE users ADD COLUMN x int;\nVACUUM users;', options: { prisma: true, prismaVersion: '6.1.0' } },
  ],
})
