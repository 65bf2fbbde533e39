import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-transaction-nesting', {
  valid: [{ sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;\nBEGIN;\nCOMMIT;' }],
  invalid: [
    { sql: 'BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;', statement: 1, category: 'transaction', verdict: 'risky', message: ['first COMMIT'] },
    // Flyway, knex and the like already opened one: the file's own COMMIT ends theirs.
    { name: 'a BEGIN in a file its migration tool runs in a transaction', sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;', options: { assumeInTransaction: true }, statement: 0, category: 'transaction', verdict: 'risky', message: ['first COMMIT'] },
  ],
})
