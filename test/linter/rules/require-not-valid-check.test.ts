import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-not-valid-check', {
  valid: [
    { sql: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;' },
    { sql: 'ALTER TABLE orders VALIDATE CONSTRAINT total_positive;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE o (total int);\nALTER TABLE o ADD CONSTRAINT p CHECK (total >= 0);' },
  ],
  invalid: [
    { sql: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);', category: 'constraint', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['total_positive', 'orders', 'ACCESS EXCLUSIVE'] },
    { name: 'nested parentheses survive into the suggestion', sql: "ALTER TABLE t ADD CONSTRAINT c CHECK ((a > 0) AND (lower(b) <> ''));" },
    { name: 'inline CHECK on a new column', sql: 'ALTER TABLE orders ADD COLUMN qty int CHECK (qty > 0);', message: ['qty'] },
  ],
})
