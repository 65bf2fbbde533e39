import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-not-valid-foreign-key', {
  valid: [
    { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;' },
    { name: 'VALIDATE is safe', sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE "Share" (id int, "userId" int);\nALTER TABLE "Share" ADD CONSTRAINT "Share_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      category: 'constraint', lock: 'SHARE ROW EXCLUSIVE', verdict: 'risky', message: ['orders', 'users', 'SHARE ROW EXCLUSIVE', 'blocks writes'],
    },
    { name: "Prisma's form keeps its actions", sql: 'ALTER TABLE "Signature" ADD CONSTRAINT "Signature_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "Recipient"("id") ON DELETE CASCADE ON UPDATE CASCADE;', message: ['"Signature"', '"Recipient"'] },
  ],
})

ruleTester('require-not-valid-foreign-key', {
  valid: [],
  invalid: [
    {
      name: 'several subcommands: the clause is rebuilt with its actions',
      sql: 'ALTER TABLE orders ADD COLUMN note text, ADD CONSTRAINT o_u FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;',
      message: ['o_u'],
    },
  ],
})
