import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-add-exclusion-constraint', {
  valid: [
    { name: 'table created in the migration', sql: 'CREATE TABLE b (room int, during tstzrange);\nALTER TABLE b ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);' },
  ],
  invalid: [
    { sql: 'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);', category: 'constraint', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['bookings', 'no concurrent or NOT VALID form'] },
  ],
})
