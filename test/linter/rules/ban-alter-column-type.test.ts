import { expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-alter-column-type', {
  valid: [
    { name: 'varchar grows', sql: 'ALTER TABLE t ADD COLUMN c varchar(10);\nALTER TABLE t ALTER COLUMN c TYPE varchar(20);' },
    { name: 'varchar to text', sql: 'ALTER TABLE t ADD COLUMN c varchar(10);\nALTER TABLE t ALTER COLUMN c TYPE text;' },
    { name: 'varchar(n) to unconstrained varchar', sql: 'ALTER TABLE t ADD COLUMN c varchar(10);\nALTER TABLE t ALTER COLUMN c TYPE varchar;' },
    { name: 'text to unconstrained varchar', sql: 'ALTER TABLE t ADD COLUMN c text;\nALTER TABLE t ALTER COLUMN c TYPE varchar;' },
    { name: 'numeric precision grows', sql: 'ALTER TABLE t ADD COLUMN c numeric(10,2);\nALTER TABLE t ALTER COLUMN c TYPE numeric(12,2);' },
    { name: 'numeric to unconstrained numeric', sql: 'ALTER TABLE t ADD COLUMN c numeric(10,2);\nALTER TABLE t ALTER COLUMN c TYPE numeric;' },
    { name: 'text to citext (the extension casts WITHOUT FUNCTION)', sql: 'ALTER TABLE t ADD COLUMN c text;\nALTER TABLE t ALTER COLUMN c TYPE citext;' },
    { name: 'cidr to inet', sql: 'ALTER TABLE t ADD COLUMN c cidr;\nALTER TABLE t ALTER COLUMN c TYPE inet;' },
    { name: 'bit varying grows', sql: 'ALTER TABLE t ADD COLUMN c varbit(8);\nALTER TABLE t ALTER COLUMN c TYPE bit varying(16);' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (c int);\nALTER TABLE t ALTER COLUMN c TYPE bigint;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE orders ALTER COLUMN total TYPE bigint;', category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['orders', 'total', 'bigint', 'rewrites every row'] },
    { name: 'varchar shrinks', sql: 'ALTER TABLE t ADD COLUMN c varchar(20);\nALTER TABLE t ALTER COLUMN c TYPE varchar(10);', rewrite: true },
    { name: 'text to varchar(n) checks every value', sql: 'ALTER TABLE t ADD COLUMN c text;\nALTER TABLE t ALTER COLUMN c TYPE varchar(10);' },
    { name: 'numeric scale changes', sql: 'ALTER TABLE t ADD COLUMN c numeric(10,2);\nALTER TABLE t ALTER COLUMN c TYPE numeric(12,4);' },
    { name: 'a USING clause recomputes every value', sql: 'ALTER TABLE t ADD COLUMN c varchar(10);\nALTER TABLE t ALTER COLUMN c TYPE text USING c::text;', message: ['USING'] },
    { name: 'unknown current type, widening-capable target: a warning', sql: 'ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(255);', message: ['may rewrite'] },
    { name: 'timestamp to timestamptz depends on the session TimeZone', sql: 'ALTER TABLE t ADD COLUMN c timestamp;\nALTER TABLE t ALTER COLUMN c TYPE timestamptz;', message: ['TimeZone', 'UTC'] },
    { name: 'timestamp to timestamptz rewrites before PG 12', sql: 'ALTER TABLE t ADD COLUMN c timestamp;\nALTER TABLE t ALTER COLUMN c TYPE timestamptz;', options: { pgVersion: 11 }, message: ['before PG 12'] },
  ],
})

it('a change that may be rewrite-free is a warning, a certain rewrite an error', async () => {
  const severity = async (sql: string) =>
    (await lint(sql)).files[0].statements.flatMap((s) => s.findings).find((f) => f.rule === 'ban-alter-column-type')?.severity
  expect(await severity('ALTER TABLE t ALTER COLUMN c TYPE text;')).toBe('warning')
  expect(await severity('ALTER TABLE t ALTER COLUMN c TYPE bigint;')).toBe('error')
  expect(await severity('ALTER TABLE t ADD COLUMN c timestamp;\nALTER TABLE t ALTER COLUMN c TYPE timestamptz;')).toBe('warning')
})
