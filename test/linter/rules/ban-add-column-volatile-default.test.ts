import { expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-add-column-volatile-default', {
  valid: [
    { name: 'constant', sql: 'ALTER TABLE users ADD COLUMN n int DEFAULT 0;' },
    { name: 'negative constant', sql: 'ALTER TABLE "Field" ADD COLUMN "height" INTEGER NOT NULL DEFAULT -1;' },
    { name: 'now() is stable', sql: 'ALTER TABLE users ADD COLUMN at timestamptz DEFAULT now();' },
    { name: 'CURRENT_TIMESTAMP is stable', sql: 'ALTER TABLE "User" ADD COLUMN "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;' },
    { name: 'cast of a literal', sql: "ALTER TABLE users ADD COLUMN tags jsonb DEFAULT '[]'::jsonb;" },
    { name: 'a virtual generated column (PG 18) is computed on read', sql: 'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a + 1) VIRTUAL;', options: { pgVersion: 18 } },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN id uuid DEFAULT gen_random_uuid();' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();', category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['gen_random_uuid', 'volatile', 'users'] },
    { sql: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT uuid_generate_v4();', rewrite: true },
    { sql: 'ALTER TABLE users ADD COLUMN r float8 DEFAULT random();' },
    { sql: 'ALTER TABLE users ADD COLUMN at timestamptz DEFAULT clock_timestamp();' },
    { sql: 'ALTER TABLE users ADD COLUMN t text DEFAULT timeofday();' },
    { sql: "ALTER TABLE users ADD COLUMN n bigint DEFAULT nextval('users_n_seq');", message: ["nextval('users_n_seq')"] },
    { name: 'serial', sql: 'ALTER TABLE users ADD COLUMN n serial;', rewrite: true, message: ['sequence'] },
    { name: 'bigserial', sql: 'ALTER TABLE users ADD COLUMN n bigserial;' },
    { name: 'smallserial', sql: 'ALTER TABLE users ADD COLUMN n smallserial;' },
    { name: 'identity', sql: 'ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;', message: ['IDENTITY'] },
    { name: 'stored generated column', sql: 'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a + 1) STORED;', message: ['STORED'] },
    { name: 'the volatile call inside a stable one is named', sql: 'ALTER TABLE users ADD COLUMN code text DEFAULT lower(gen_random_uuid()::text);', message: ['gen_random_uuid() is volatile', 'DEFAULT lower(gen_random_uuid()::text) on'] },
    { name: 'an expression that starts with a cast operand', sql: "ALTER TABLE t ADD COLUMN c text DEFAULT random()::text || '-';", message: ["DEFAULT random()::text || '-' on"] },
    { name: 'the whole default expression is kept', sql: "ALTER TABLE users ADD COLUMN code text NOT NULL DEFAULT md5(random()::text || 'x,y'), ADD COLUMN z int;", message: ["DEFAULT md5(random()::text || 'x,y') on"] },
    { name: 'unknown function: a warning', sql: 'ALTER TABLE users ADD COLUMN code text DEFAULT make_code();', message: ['make_code', 'if'] },
  ],
})

it('an unknown function is a warning, a known volatile one an error', async () => {
  const severity = async (sql: string) =>
    (await lint(sql)).files[0].statements[0].findings.find((f) => f.rule === 'ban-add-column-volatile-default')?.severity
  expect(await severity('ALTER TABLE users ADD COLUMN code text DEFAULT make_code();')).toBe('warning')
  expect(await severity('ALTER TABLE users ADD COLUMN id uuid DEFAULT gen_random_uuid();')).toBe('error')
})
