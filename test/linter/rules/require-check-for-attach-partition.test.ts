import { ruleTester } from '../../helpers/rule-tester.js'

const attach = "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"

ruleTester('require-check-for-attach-partition', {
  valid: [
    { name: 'a validated CHECK proves the bound', sql: `ALTER TABLE events_2024 ADD CONSTRAINT b CHECK (at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\nALTER TABLE events_2024 VALIDATE CONSTRAINT b;\n${attach}` },
    { name: 'partition created in the migration is empty', sql: `CREATE TABLE events_2024 (at timestamptz);\n${attach}` },
  ],
  invalid: [
    { sql: attach, category: 'constraint', lock: 'SHARE UPDATE EXCLUSIVE', verdict: 'risky', message: ['events_2024', 'ACCESS EXCLUSIVE lock on events_2024'] },
    { name: 'a NOT VALID check proves nothing', sql: `ALTER TABLE events_2024 ADD CONSTRAINT b CHECK (at >= '2024-01-01') NOT VALID;\n${attach}` },
    { name: 'PG 11 locks the parent for the scan', sql: attach, options: { pgVersion: 11 }, lock: 'ACCESS EXCLUSIVE', message: ['ACCESS EXCLUSIVE lock on events', 'PG 11'] },
  ],
})
