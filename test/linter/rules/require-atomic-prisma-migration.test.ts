import { ruleTester } from '../../helpers/rule-tester.js'

const prisma74 = { prisma: true, prismaVersion: '7.4.0' }

ruleTester('require-atomic-prisma-migration', {
  valid: [
    { name: 'one change', sql: 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;', options: prisma74 },
    { name: 'wrapped in BEGIN/COMMIT', sql: 'BEGIN;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "Post" ADD COLUMN "x" INT;\nCOMMIT;', options: prisma74 },
    { name: 'Prisma < 7.4 runs the file as one transaction', sql: 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "Post" ADD COLUMN "x" INT;', options: { prisma: true, prismaVersion: '7.3.0' } },
    { name: 'new tables only', sql: 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nALTER TABLE a ADD COLUMN x int;', options: prisma74 },
    { name: 'plain SQL files are not Prisma', sql: 'ALTER TABLE a ADD COLUMN x int;\nALTER TABLE b ADD COLUMN y int;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "Post" DROP COLUMN "legacy";', statement: 1, options: prisma74, category: 'transaction', verdict: 'risky', message: ['7.4.0', 'stay applied'] },
  ],
})
