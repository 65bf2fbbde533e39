import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-vacuum-full', {
  valid: [
    { sql: 'VACUUM events;' },
    { sql: 'VACUUM (ANALYZE) events;' },
  ],
  invalid: [
    { sql: 'VACUUM FULL events;', category: 'rewrite', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', rewrite: true, message: ['events', 'ACCESS EXCLUSIVE'] },
    { sql: 'VACUUM (FULL, ANALYZE) events;', rewrite: true },
    { name: 'the whole database', sql: 'VACUUM FULL;', message: ['every table'] },
  ],
})
