import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-lock-timeout-for-trigger', {
  valid: [
    { sql: "SET lock_timeout = '5s';\nCREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();" },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (a int);\nCREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();' },
  ],
  invalid: [
    { sql: 'CREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();', category: 'lock', lock: 'SHARE ROW EXCLUSIVE', verdict: 'risky', message: ['orders', 'SHARE ROW EXCLUSIVE'] },
  ],
})
