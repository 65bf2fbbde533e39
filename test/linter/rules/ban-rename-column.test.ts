import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-rename-column', {
  valid: [
    { sql: 'ALTER TABLE users ADD COLUMN full_name text;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE users (id bigint, name text);\nALTER TABLE users RENAME COLUMN name TO full_name;' },
    { name: 'renaming an index is not a column rename', sql: 'ALTER INDEX users_name_idx RENAME TO users_full_name_idx;' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;', category: 'rename', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['users', 'name', 'full_name', 'ACCESS EXCLUSIVE'] },
    { name: 'Prisma quoting', sql: 'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";', message: ['"User"', '"fullName"'] },
    { name: 'known type is reused in the suggestion', sql: 'ALTER TABLE users ADD COLUMN nick varchar(40);\nALTER TABLE users RENAME COLUMN nick TO handle;', message: ['handle'] },
  ],
})
