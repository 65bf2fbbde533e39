import { expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
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
    { name: "Prisma's enum re-creation block", sql: prisma, statement: 2, category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['"User"', "Prisma's enum re-creation"] },
    {
      name: 'newer Prisma: "X_new" swapped in after the ALTERs',
      sql: "CREATE TYPE \"Role_new\" AS ENUM ('USER');\nALTER TABLE \"User\" ALTER COLUMN \"role\" TYPE \"Role_new\" USING (\"role\"::text::\"Role_new\");\nALTER TYPE \"Role\" RENAME TO \"Role_old\";\nALTER TYPE \"Role_new\" RENAME TO \"Role\";\nDROP TYPE \"Role_old\";",
      statement: 1, rewrite: true, message: ["Prisma's enum re-creation", '"Role_new"'],
      // the suggestion keeps "Role" and adds values to it
    },
    { name: 'any existing column moved to a type created here', sql: "CREATE TYPE mood AS ENUM ('a');\nALTER TABLE people ALTER COLUMN m TYPE mood USING m::mood;", rewrite: true },
  ],
})

it('the suggestion for "X_new" names the enum that stays, "X"', async () => {
  const sql = "CREATE TYPE \"Role_new\" AS ENUM ('USER');\nALTER TABLE \"User\" ALTER COLUMN \"role\" TYPE \"Role_new\" USING (\"role\"::text::\"Role_new\");"
  const hit = (await lint(sql)).files[0].statements[1].findings.find((f) => f.rule === 'ban-enum-recreation')
  expect(hit?.suggestion).toContain('ALTER TYPE "Role" ADD VALUE')
})
