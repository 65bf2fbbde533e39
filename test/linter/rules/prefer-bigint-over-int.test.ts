import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('prefer-bigint-over-int', {
  valid: [
    { sql: 'CREATE TABLE users (id bigint PRIMARY KEY);' },
    { name: 'an int that is not a key', sql: 'CREATE TABLE users (id bigint PRIMARY KEY, age int);' },
    { sql: 'CREATE TABLE users (id bigserial PRIMARY KEY);' },
  ],
  invalid: [
    { sql: 'CREATE TABLE users (id serial PRIMARY KEY);', category: 'style', verdict: 'safe', message: ['id'] },
    { name: 'table-level primary key', sql: 'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));' },
    { sql: 'CREATE TABLE t (id smallint PRIMARY KEY);' },
  ],
})
