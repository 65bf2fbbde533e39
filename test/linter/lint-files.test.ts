import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lint, lintFiles } from '../../src/linter/lint.js'

const SQL_PROJECT = 'fixtures/lint/sql-project/migrations'
const PRISMA_MIGRATIONS = 'fixtures/lint/prisma-project/prisma/migrations'
let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kdb-lintfiles-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('lintFiles', () => {
  it('lints every forward migration of a folder in the order they run, skipping down migrations', async () => {
    const result = await lintFiles([SQL_PROJECT])
    expect(result.files.map((f) => f.path)).toEqual([
      `${SQL_PROJECT}/001_create_users.sql`, `${SQL_PROJECT}/002_index_orders.sql`, `${SQL_PROJECT}/003_safe_index.sql`,
    ])
    expect(result.summary).toEqual({ files: 3, statements: 8, risky: 1, errors: 0 })
  })

  it('classifies every statement, with or without a finding', async () => {
    const result = await lintFiles([SQL_PROJECT])
    for (const file of result.files) {
      for (const s of file.statements) {
        expect(['safe', 'risky']).toContain(s.verdict)
        expect(s.verdict === 'risky').toBe(s.findings.some((f) => f.category !== 'style'))
      }
    }
    // An index on a table created in the same migration is exempt: the table is empty.
    expect(result.files[0].statements[1]).toMatchObject({ verdict: 'safe', lock: 'SHARE', findings: [] })
  })

  it('startAfter: a folder\'s migrations up to it are not judged but still read for their column types; a file named on its own is', async () => {
    const folder = 'fixtures/prisma-app/prisma/migrations'
    const all = await lintFiles([folder])
    const later = await lintFiles([folder], { startAfter: '20250317104500' })
    expect(later.summary).toMatchObject({ files: all.summary.files - 3, skipped: 3 })
    expect(later.files.map((f) => f.path)).toEqual(all.files.slice(3).map((f) => f.path))
    // The later reports are those of the whole run: the skipped migrations still declared the types.
    expect(later.files).toEqual(all.files.slice(3))
    expect(all.summary).not.toHaveProperty('skipped')
    const named = await lintFiles([`${folder}/20250110093000_init/migration.sql`], { startAfter: '20250317104500' })
    expect(named.summary).toMatchObject({ files: 1, errors: 0 })
    expect(named.summary).not.toHaveProperty('skipped')
  })

  it('lint() with history: true judges the SQL after the earlier migrations of the folder its path names', async () => {
    const sql = 'ALTER TABLE "User" ALTER COLUMN "name" TYPE varchar(200);'
    const path = 'fixtures/prisma-app/prisma/migrations/99999999999999_next/migration.sql'
    const after = await lint(sql, { path, history: true })
    expect(after.files[0].statements[0].findings[0].message).toContain('text to varchar(200) is not binary-coercible')
    const alone = await lint(sql, { path })
    expect(alone.files[0].statements[0].findings[0].message).toContain('the current type is not in this migration')
  })

  it('recognises a Prisma layout and the Prisma version of the project', async () => {
    const result = await lintFiles([PRISMA_MIGRATIONS])
    expect(result.files).toHaveLength(2)
    for (const file of result.files) expect(file).toMatchObject({ kind: 'prisma', prisma: { version: '6.5.0', mode: 'single-query' } })
    const overridden = await lintFiles([PRISMA_MIGRATIONS], { prismaVersion: '7.4.0' })
    expect(overridden.files[0].prisma).toEqual({ version: '7.4.0', mode: 'per-statement' })
  })

  it('reports a missing path and a file that does not parse, and lints the rest', async () => {
    const bad = join(tmp, 'bad.sql')
    writeFileSync(bad, 'CREATE TABLE;\n')
    const result = await lintFiles([join(tmp, 'missing'), bad, `${SQL_PROJECT}/002_index_orders.sql`])
    expect(result.files.map((f) => f.error?.message ?? null)).toEqual([
      'cannot read: no such file or folder', 'syntax error at or near ";"', null,
    ])
    expect(result.files[1].error).toMatchObject({ line: 1, column: 13 })
    expect(result.summary).toMatchObject({ files: 3, risky: 1, errors: 2 })
  })

  it('skips node_modules and dot folders, and takes .sql files at any depth', async () => {
    const root = join(tmp, 'project')
    for (const d of ['a/b', 'node_modules/x', '.git']) mkdirSync(join(root, d), { recursive: true })
    writeFileSync(join(root, 'a/b/001.sql'), 'SELECT 1;')
    writeFileSync(join(root, 'node_modules/x/002.sql'), 'SELECT 1;')
    writeFileSync(join(root, '.git/003.sql'), 'SELECT 1;')
    writeFileSync(join(root, 'a/notes.txt'), 'not sql')
    const result = await lintFiles([root])
    expect(result.files.map((f) => f.path)).toEqual([join(root, 'a/b/001.sql')])
  })

  it('rejects a Postgres version outside 11 to 18', async () => {
    await expect(lintFiles([SQL_PROJECT], { pgVersion: 10 })).rejects.toMatchObject({ code: 'KDB_PG_VERSION' })
    await expect(lint('SELECT 1', { pgVersion: 19 })).rejects.toMatchObject({ code: 'KDB_PG_VERSION' })
  })

  it('lint and lintFiles return the same structure for the same SQL', async () => {
    const path = `${SQL_PROJECT}/002_index_orders.sql`
    const fromFile = await lintFiles([path])
    const fromString = await lint(readFileSync(path, 'utf8'), { path })
    expect(fromString).toEqual(fromFile)
  })
})
