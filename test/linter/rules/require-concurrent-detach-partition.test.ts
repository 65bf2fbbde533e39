import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-concurrent-detach-partition', {
  valid: [
    { sql: 'ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY;' },
    { name: 'no CONCURRENTLY before PG 14', sql: 'ALTER TABLE m DETACH PARTITION m_2020;', options: { pgVersion: 13 } },
  ],
  invalid: [
    { sql: 'ALTER TABLE m DETACH PARTITION m_2020;', category: 'lock', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['m_2020', 'ACCESS EXCLUSIVE lock on m'] },
  ],
})
