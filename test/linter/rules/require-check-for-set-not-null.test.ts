import { ruleTester } from '../../helpers/rule-tester.js'

const pattern = [
  'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
  'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
  'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
].join('\n')

ruleTester('require-check-for-set-not-null', {
  valid: [
    { name: 'CHECK NOT VALID, VALIDATE, SET NOT NULL (PG >= 12)', sql: pattern },
    { name: 'a CHECK added valid proves it too', sql: 'ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;' },
    { name: 'backfilled earlier in the migration', sql: "UPDATE users SET email = '' WHERE email IS NULL;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;" },
    { name: 'rows with NULL deleted earlier', sql: 'DELETE FROM "Subscription" WHERE "planId" IS NULL OR "customerId" IS NULL;\nALTER TABLE "Subscription" ALTER COLUMN "customerId" SET NOT NULL;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;', category: 'not-null', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['users', 'email', 'scans every row', 'ACCESS EXCLUSIVE'] },
    { name: 'the CHECK is still NOT VALID', sql: 'ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;', message: ['NOT VALID'] },
    { name: 'a DELETE of other rows is no backfill', sql: 'DELETE FROM users WHERE email IS NOT NULL AND id < 0;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;' },
    { name: 'a check on another column proves nothing', sql: 'ALTER TABLE users ADD CONSTRAINT c CHECK (name IS NOT NULL);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;' },
    { name: 'PG 11 cannot use the CHECK', sql: pattern, options: { pgVersion: 11 }, message: ['PG 11'] },
  ],
})
