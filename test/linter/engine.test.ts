import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { lint } from '../../src/linter/lint.js'
import { RULES } from '../../src/linter/rules/index.js'
import { CATEGORIES } from '../../src/linter/types.js'

const rulesOf = async (sql: string, options = {}) =>
  (await lint(sql, options)).files[0].statements.map((s) => s.findings.map((f) => f.rule).sort())

describe('rule registry', () => {
  it('has unique kebab-case ids, fixed categories, docs and honest version bounds', () => {
    const ids = RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual([...ids].sort())
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^(ban|require|prefer)-[a-z0-9-]+$/)
      expect(CATEGORIES).toContain(rule.category)
      expect(rule.docs.summary.length).toBeGreaterThan(10)
      expect(rule.docs.why.length).toBeGreaterThan(10)
      expect(rule.docs.safeAlternative.length).toBeGreaterThan(5)
      expect(rule.pg?.min ?? 11).toBeLessThanOrEqual(rule.pg?.max ?? 18)
    }
    expect(RULES.length).toBeGreaterThanOrEqual(35)
  })

  it("every rule's documented bad example fires it and its good example does not", async () => {
    for (const rule of RULES) {
      const options = {
        ...(rule.pg?.max && rule.pg.max < 15 ? { pgVersion: rule.pg.max } : {}),
        ...(rule.pg?.min && rule.pg.min > 15 ? { pgVersion: rule.pg.min } : {}),
        ...(rule.id.includes('prisma') ? { prisma: true, prismaVersion: '7.4.0' } : {}),
      }
      if (rule.docs.bad) {
        const hits = (await rulesOf(rule.docs.bad, options)).flat()
        expect(hits, `${rule.id} bad example`).toContain(rule.id)
      }
      if (rule.docs.good) {
        const hits = (await rulesOf(rule.docs.good, options)).flat()
        expect(hits, `${rule.id} good example`).not.toContain(rule.id)
      }
    }
  })
})

describe('docs/linter-rules.md', () => {
  it('documents every rule with its current summary', () => {
    const doc = readFileSync(new URL('../../docs/linter-rules.md', import.meta.url), 'utf8')
    for (const rule of RULES) {
      expect(doc, rule.id).toContain(`## ${rule.id}\n`)
      expect(doc, rule.id).toContain(rule.docs.summary)
    }
  })
})

describe('classification', () => {
  it('style findings never make a statement risky', async () => {
    const [stmt] = (await lint('CREATE TABLE t (id serial PRIMARY KEY, name varchar(20), at timestamp);')).files[0].statements
    expect(stmt.findings.length).toBeGreaterThan(0)
    expect(stmt.findings.every((f) => f.category === 'style')).toBe(true)
    expect(stmt.verdict).toBe('safe')
  })

  it('a table created earlier is exempt whatever the transaction state', async () => {
    const body = [
      'CREATE TABLE t (id int, email text, v varchar(5));',
      'CREATE INDEX t_email ON t (email);',
      'ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id);',
      'ALTER TABLE t ALTER COLUMN v TYPE int USING v::int;',
      'ALTER TABLE t ADD COLUMN u uuid NOT NULL DEFAULT gen_random_uuid();',
      'ALTER TABLE t ALTER COLUMN email SET NOT NULL;',
      'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES users (id);',
      'ALTER TABLE t RENAME COLUMN email TO mail;',
      'ALTER TABLE t DROP COLUMN mail;',
    ].join('\n')
    for (const [sql, options] of [
      [body, {}],
      [`BEGIN;\n${body}\nCOMMIT;`, {}],
      [body, { prisma: true, prismaVersion: '6.0.0' }],
      [body, { prisma: true, prismaVersion: '7.4.0' }],
    ] as const) {
      const result = await lint(sql, options)
      const risky = result.files[0].statements.filter((s) => s.verdict === 'risky').map((s) => s.text)
      expect(risky, sql).toEqual([])
    }
  })

  it('every statement kind gets a verdict and a lock without crashing', async () => {
    const sql = [
      'CREATE EXTENSION IF NOT EXISTS pgcrypto;', 'CREATE SCHEMA s;', "CREATE TYPE e AS ENUM ('a');",
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
      'CREATE VIEW v AS SELECT 1;', 'CREATE SEQUENCE q;', 'ALTER SEQUENCE q RESTART;', 'GRANT SELECT ON users TO app;',
      "COMMENT ON TABLE users IS 'x';", 'DO $$ BEGIN END $$;', "INSERT INTO users (id) VALUES (1);",
      'MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN DELETE;', 'DROP FUNCTION f();', 'DROP TYPE e;',
    ].join('\n')
    const result = await lint(sql)
    expect(result.files[0].error).toBeNull()
    expect(result.files[0].statements).toHaveLength(14)
    for (const s of result.files[0].statements) expect(['safe', 'risky']).toContain(s.verdict)
  })

  it('judges per Postgres version', async () => {
    const enumInTx = "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;"
    expect((await rulesOf(enumInTx, { pgVersion: 11 }))[1]).toContain('ban-add-enum-value-in-transaction')
    expect((await rulesOf(enumInTx, { pgVersion: 12 }))[1]).toEqual([])
    const notNull = 'ALTER TABLE u ADD CONSTRAINT c CHECK (e IS NOT NULL);\nALTER TABLE u ALTER COLUMN e SET NOT NULL;'
    expect((await rulesOf(notNull, { pgVersion: 11 }))[1]).toContain('require-check-for-set-not-null')
    expect((await rulesOf(notNull, { pgVersion: 12 }))[1]).not.toContain('require-check-for-set-not-null')
  })

  it('Prisma mode decides whether CONCURRENTLY can run', async () => {
    const sql = 'ALTER TABLE "User" ADD COLUMN "x" INT;\nCREATE INDEX CONCURRENTLY "User_x_idx" ON "User"("x");'
    expect((await rulesOf(sql, { prisma: true, prismaVersion: '7.3.0' }))[1]).toContain('ban-concurrently-in-transaction')
    expect((await rulesOf(sql, { prisma: true, prismaVersion: '7.4.0' }))[1]).not.toContain('ban-concurrently-in-transaction')
  })

  it('a configured severity wins over the rule default', async () => {
    const result = await lint('DELETE FROM sessions;', { rules: { 'ban-delete-rows': 'warning' } })
    expect(result.files[0].statements[0].findings.find((f) => f.rule === 'ban-delete-rows')?.severity).toBe('warning')
  })

  it('an ignore comment with a reason moves the finding to ignored and keeps the statement safe', async () => {
    const result = await lint('-- koinonia-db-ignore ban-drop-table: archived in s3 first\nDROP TABLE sessions;', { disable: ['require-lock-timeout'] })
    const [stmt] = result.files[0].statements
    expect(stmt.findings).toEqual([])
    expect(stmt.ignored.map((f) => f.rule)).toEqual(['ban-drop-table'])
    expect(stmt.verdict).toBe('safe')
  })
})
