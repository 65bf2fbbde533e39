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

describe('what the rules predict happens on a real Postgres 15', () => {
  it('fails or skips work exactly where the linter says', { timeout: 120_000 }, async () => {
    const { startTestPostgres, connect } = await import('../helpers/pg.js')
    await using server = await startTestPostgres()
    await using client = await connect(server.url)
    const reset = 'DROP TABLE IF EXISTS users; DROP TYPE IF EXISTS status; CREATE TABLE users (id int, email text); INSERT INTO users VALUES (1, \'a\');'
    // pg sends a parameterless multi-statement string as one simple query: one implicit transaction, like Prisma < 7.4.
    const fails = async (sql: string) => {
      await client.query(reset)
      try {
        await client.query(sql)
        return null
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        return (error as Error).message
      }
    }
    const prisma6 = { prisma: true, prismaVersion: '6.0.0' }
    const cases: Array<{ sql: string; rule: string; error: RegExp; options?: object }> = [
      { sql: 'ALTER TABLE users ADD COLUMN plan text NOT NULL;', rule: 'require-default-for-not-null-column', error: /contains null values/ },
      { sql: 'ALTER TABLE users ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY users_x ON users (x);', rule: 'ban-concurrently-in-transaction', error: /cannot run inside a transaction block/, options: prisma6 },
      { sql: 'BEGIN;\nVACUUM users;\nCOMMIT;', rule: 'ban-vacuum-in-transaction', error: /cannot run inside a transaction block/ },
      { sql: "CREATE TYPE status AS ENUM ('a');\nALTER TABLE users ADD COLUMN s status;\nCOMMIT;\nBEGIN;\nALTER TYPE status ADD VALUE 'b';\nUPDATE users SET s = 'b' WHERE id = 1;\nCOMMIT;", rule: 'ban-new-enum-value-use', error: /unsafe use of new value/ },
    ]
    for (const c of cases) {
      expect(await fails(c.sql), c.sql).toMatch(c.error)
      const hits = (await rulesOf(c.sql, c.options)).flat()
      expect(hits, c.sql).toContain(c.rule)
    }

    // The CHECK NOT VALID -> VALIDATE -> SET NOT NULL pattern: Postgres reports (DEBUG1) that it skips the scan.
    await client.query(reset)
    const notices: string[] = []
    client.on('notice', (n) => notices.push(n.message ?? ''))
    await client.query("SET client_min_messages = 'debug1'")
    const pattern = 'ALTER TABLE users ADD CONSTRAINT e_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT e_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;'
    for (const sql of pattern.split('\n')) await client.query(sql)
    await client.query("SET client_min_messages = 'notice'")
    expect(notices.join('\n')).toMatch(/sufficient to prove that it does not contain nulls/)
    expect((await rulesOf(pattern)).flat()).not.toContain('require-check-for-set-not-null')
  })
})
