import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('require-constraint-using-index', {
  valid: [
    { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;' },
    { sql: 'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;' },
    { name: 'table created in the migration', sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD PRIMARY KEY (id);' },
  ],
  invalid: [
    { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', category: 'index', lock: 'ACCESS EXCLUSIVE', verdict: 'risky', message: ['UNIQUE (email)', 'users', 'ACCESS EXCLUSIVE'] },
    { sql: 'ALTER TABLE "TeamGlobalSettings" ADD CONSTRAINT "TeamGlobalSettings_pkey" PRIMARY KEY ("id");', message: ['PRIMARY KEY', '"TeamGlobalSettings"'] },
    { name: 'unnamed primary key gets a derived name', sql: 'ALTER TABLE orders ADD PRIMARY KEY (id);', message: ['PRIMARY KEY (id)'] },
  ],
})
