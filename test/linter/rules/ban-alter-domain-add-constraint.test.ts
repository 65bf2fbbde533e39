import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-alter-domain-add-constraint', {
  valid: [
    { sql: "ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%') NOT VALID;" },
    { name: 'domain created in the migration', sql: 'CREATE DOMAIN pos AS int;\nALTER DOMAIN pos ADD CONSTRAINT p CHECK (VALUE > 0);' },
  ],
  invalid: [
    { sql: "ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');", category: 'constraint', verdict: 'risky', message: ['email', 'every table'] },
  ],
})
