import { ruleTester } from '../../helpers/rule-tester.js'

const prisma = [
  'ALTER TYPE "Role" RENAME TO "Role_old";',
  "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN');",
  'ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role" USING ("role"::text::"Role");',
  'DROP TYPE "Role_old";',
].join('\n')

ruleTester('ban-enum-recreation', {
  valid: [
    { sql: "ALTER TYPE \"Role\" ADD VALUE 'OWNER';" },
    { name: 'a new table using the new type', sql: "CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE t (m text);\nALTER TABLE t ALTER COLUMN m TYPE mood USING m::mood;" },
  ],
  invalid: [
    { name: "Prisma's enum re-creation block", sql: prisma, statement: 2, category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['"User"', "Prisma's enum re-creation", '"Role_old"'] },
    { name: 'any existing column moved to a type created here', sql: "CREATE TYPE mood AS ENUM ('a');\nALTER TABLE people ALTER COLUMN m TYPE mood USING m::mood;", rewrite: true },
  ],
})
