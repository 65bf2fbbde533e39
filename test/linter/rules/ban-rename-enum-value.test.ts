import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('ban-rename-enum-value', {
  valid: [
    { sql: "ALTER TYPE status ADD VALUE 'archived';" },
    { name: 'enum created in the migration', sql: "CREATE TYPE status AS ENUM ('closed');\nALTER TYPE status RENAME VALUE 'closed' TO 'archived';" },
  ],
  invalid: [{ sql: "ALTER TYPE status RENAME VALUE 'closed' TO 'archived';", category: 'rename', verdict: 'risky', message: ["'closed'", "'archived'"] }],
})
