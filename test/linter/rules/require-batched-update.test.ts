import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-batched-update', {
  valid: [
    { sql: 'UPDATE users SET active = true WHERE id BETWEEN 1 AND 1000;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nUPDATE t SET a = 1;' },
    { name: 'UPDATE ... FROM joins and is judged by its join', sql: 'UPDATE a SET x = b.x FROM b WHERE a.id = b.id;' },
  ],
  invalid: [
    { sql: 'UPDATE users SET active = true;', category: 'data', lock: 'ROW EXCLUSIVE', verdict: 'risky', message: ['every row', 'users'] },
    { sql: 'UPDATE "Document" SET "createdAt" = COALESCE("created", NOW());', message: ['"Document"'] },
  ],
})
