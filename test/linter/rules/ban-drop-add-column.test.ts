import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-drop-add-column', {
  valid: [
    { sql: 'ALTER TABLE "User" ADD COLUMN "fullName" TEXT;' },
    { name: 'drop and add on different tables', sql: 'ALTER TABLE a DROP COLUMN x;\nALTER TABLE b ADD COLUMN y text;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN a, ADD COLUMN b int;' },
  ],
  invalid: [
    {
      name: "Prisma's rename-as-drop+add",
      sql: 'ALTER TABLE "User" DROP COLUMN "name",\nADD COLUMN "fullName" TEXT;',
      category: 'data', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['name', '"fullName"', 'lost'],
    },
    {
      name: "Prisma's type change: the same column dropped and added again",
      sql: 'ALTER TABLE "Document" DROP COLUMN "visibility",\nADD COLUMN "visibility" "DocumentVisibility" NOT NULL DEFAULT \'EVERYONE\';',
      message: ['adds it again as "DocumentVisibility"', 'every value'],
    },
    { name: 'adjacent statements', sql: 'ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ADD COLUMN full_name text;', message: ['name', 'full_name'], suggestionFixes: false },
  ],
})
