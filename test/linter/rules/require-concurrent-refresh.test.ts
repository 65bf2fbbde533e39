import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-concurrent-refresh', {
  valid: [
    { sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY daily;' },
    { name: 'WITH NO DATA empties it without a query', sql: 'REFRESH MATERIALIZED VIEW daily WITH NO DATA;' },
    { name: 'view created in the migration', sql: 'CREATE MATERIALIZED VIEW daily AS SELECT 1 AS x;\nREFRESH MATERIALIZED VIEW daily;' },
  ],
  invalid: [
    { sql: 'REFRESH MATERIALIZED VIEW daily;', category: 'lock', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['daily', 'every read'] },
  ],
})
