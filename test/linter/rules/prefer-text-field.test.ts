import { ruleTester } from '../../helpers/rule-tester.js'

ruleTester('prefer-text-field', {
  valid: [
    { sql: 'CREATE TABLE users (name text);' },
    { name: 'unconstrained varchar', sql: 'CREATE TABLE users (name varchar);' },
  ],
  invalid: [
    { sql: 'CREATE TABLE users (name varchar(100));', category: 'style', verdict: 'safe', message: ['name'] },
    { sql: 'ALTER TABLE "User" ADD COLUMN "name" VARCHAR(255) NOT NULL;', category: 'style' },
    { sql: 'CREATE TABLE t (a character varying(20), b character varying (30));', message: ['a, b'] },
  ],
})
