import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-default-for-not-null-column', {
  valid: [
    { sql: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';" },
    { sql: 'ALTER TABLE users ADD COLUMN plan text;' },
    { name: 'identity fills the rows', sql: 'ALTER TABLE users ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int NOT NULL;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users ADD COLUMN plan text NOT NULL;', category: 'not-null', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['plan', 'users', 'fails'] },
    { sql: 'ALTER TABLE "Field" ADD COLUMN "height" INTEGER NOT NULL;', message: ['height integer', '"Field"'] },
  ],
})
