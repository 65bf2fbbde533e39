import { ruleTester } from '../../helpers/rule-tester.js'

const prisma6 = { prisma: true, prismaVersion: '6.0.0' }

ruleTester('ban-lock-held-across-slow-work', {
  valid: [
    { name: 'no transaction: the lock is released after each statement', sql: "ALTER TABLE users ADD COLUMN plan text;\nUPDATE orders SET plan = 'free';" },
    { name: 'committed before the slow work', sql: "BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nCOMMIT;\nUPDATE orders SET plan = 'free';" },
    { name: 'slow work on a table created in the migration', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nCREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nCOMMIT;' },
    { name: 'the slow statement already locks the same table as strongly', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD CONSTRAINT c CHECK (a > 0);\nCOMMIT;' },
    { name: 'Prisma >= 7.4 runs statements one by one', sql: 'ALTER TABLE users ADD COLUMN plan text;\nCREATE INDEX i ON orders (x);', options: { prisma: true, prismaVersion: '7.4.0' } },
  ],
  invalid: [
    {
      name: 'backfill under a held ACCESS EXCLUSIVE lock',
      sql: "BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nUPDATE orders SET plan = 'free' WHERE id < 1000;\nCOMMIT;", statement: 2,
      category: 'lock', lock: 'ROW EXCLUSIVE', verdict: 'risky', message: ['ACCESS EXCLUSIVE lock on users', 'statement 2', 'orders'],
    },
    { name: "Prisma's single query holds every lock to the end", sql: 'ALTER TABLE "User" ADD COLUMN "plan" TEXT;\nCREATE INDEX "Order_x_idx" ON "Order"("x");', options: prisma6, message: ['Prisma', '"User"'] },
    { name: 'index build while the same table is held ACCESS EXCLUSIVE', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCREATE INDEX users_x ON users (x);\nCOMMIT;', statement: 2, lock: 'SHARE' },
    { name: 'the referenced table of a new foreign key stays locked', sql: 'BEGIN;\nCREATE TABLE s (user_id int REFERENCES users (id));\nCREATE INDEX o_x ON orders (x);\nCOMMIT;', statement: 2, message: ['SHARE ROW EXCLUSIVE lock on users'] },
  ],
})
