import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-concurrent-reindex', {
  valid: [
    { sql: 'REINDEX TABLE CONCURRENTLY users;' },
    { sql: 'REINDEX INDEX CONCURRENTLY users_email_idx;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nREINDEX TABLE t;' },
  ],
  invalid: [
    { sql: 'REINDEX TABLE users;', category: 'index', lock: 'SHARE', verdict: 'risky', message: ['users', 'SHARE lock', 'reads that use the index'] },
    { sql: 'REINDEX INDEX users_email_idx;', lock: 'ACCESS EXCLUSIVE', message: ['users_email_idx', 'ACCESS EXCLUSIVE'] },
    { name: 'PG 11 has no CONCURRENTLY: the swap by hand', sql: 'REINDEX TABLE users;', options: { pgVersion: 11 }, message: ['PG 11 has no REINDEX CONCURRENTLY'] },
  ],
})
