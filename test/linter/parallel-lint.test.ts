import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The worker thread runs built code, so the parallel path is tested through dist; the sources (run
// by vitest, no worker file next to them) lint on one thread and are the reference.
import * as sequential from '../../src/linter/lint.js'
import { generateMigration } from '../../bench/generate-migration.mjs'
import { ensureBuilt, REPO } from '../cli/run-bin.js'

type LintModule = typeof sequential
type ParallelModule = typeof import('../../src/linter/parallel-lint.js')
let parallel: LintModule
let parallelLint: ParallelModule
let tmp: string

beforeAll(async () => {
  ensureBuilt()
  parallel = await import(join(REPO, 'dist/linter/lint.js'))
  parallelLint = await import(join(REPO, 'dist/linter/parallel-lint.js'))
  tmp = mkdtempSync(join(tmpdir(), 'kdb-parallel-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** ~`bytes` of generated migration SQL, ending with a newline. */
function filler(bytes: number, seed: number): string {
  const { sql } = generateMigration(Math.ceil(bytes / 100), seed)
  return `${sql.slice(0, sql.lastIndexOf(';\n', bytes) + 1)}\n`
}

/** Lints `sql` both ways and expects the same result; returns it. */
async function same(sql: string, options: Parameters<LintModule['lint']>[1] = {}) {
  expect(parallelLint.lintsInParallel(sql)).toBe(true)
  const [one, two] = await Promise.all([sequential.lint(sql, options), parallel.lint(sql, options)])
  expect(two).toEqual(one)
  return two
}

describe('linting a large file on two threads', () => {
  it('gives the same report, statement for statement, as one thread', async () => {
    const { sql } = generateMigration(8000, 3)
    const result = await same(sql)
    expect(result.summary.statements).toBeGreaterThan(7000)
    expect(result.summary.risky).toBeGreaterThan(1000)
  })

  it('is the same for a Prisma single-query migration on Postgres 11', async () => {
    const { sql } = generateMigration(6000, 4)
    await same(sql, { path: 'prisma/migrations/1_big/migration.sql', prisma: true, prismaVersion: '6.5.0', pgVersion: 11 })
  })

  it('sees across the cut: a transaction opened before it, and what it holds, is known after it', async () => {
    const half = filler(400_000, 5)
    // BEGIN and the table rename sit before the middle; the view that keeps the old name and the COMMIT after it.
    const sql = `${half}BEGIN;\nALTER TABLE legacy_orders RENAME TO orders_v2;\n${half}CREATE VIEW legacy_orders AS SELECT * FROM orders_v2;\nALTER TABLE legacy_x ADD COLUMN c int;\nCOMMIT;\n`
    const result = await same(sql)
    const statements = result.files[0].statements
    const begin = statements.find((s) => s.text === 'BEGIN')
    expect(begin?.findings).toEqual([])
    expect(statements.find((s) => s.text.startsWith('ALTER TABLE legacy_orders RENAME'))?.findings.map((f) => f.rule)).not.toContain('ban-rename-table')
  })

  it('falls back to one thread when the middle of the file is inside a string', async () => {
    const half = filler(300_000, 6)
    const comment = Array.from({ length: 20_000 }, (_, i) => `line ${i};`).join('\n')
    const sql = `${half}COMMENT ON TABLE the_middle IS '${comment}';\n${half}`
    const result = await same(sql)
    expect(result.files[0].statements.find((s) => s.text.startsWith('COMMENT ON TABLE the_middle'))?.text.endsWith(`line 19999;'`)).toBe(true)
  })

  it('reports a parse error in the second half with its line and column, as one thread does', async () => {
    const half = filler(400_000, 7)
    const result = await same(`${half}${half}ALTER TABLE t ADD COLUMN;\n${half}`)
    expect(result.files[0].error).toMatchObject({ message: 'syntax error at or near ";"' })
    expect(result.files[0].error?.line).toBeGreaterThan(10_000)
  })

  it('hands the column types the file declares to the next migration of the folder', async () => {
    const folder = join(tmp, 'migrations')
    mkdirSync(folder, { recursive: true })
    // The large migration declares legacy_z.amount in its second half; the next one widens it.
    writeFileSync(join(folder, '001_big.sql'), `${filler(600_000, 8)}CREATE TABLE legacy_z (amount varchar(20));\n`)
    writeFileSync(join(folder, '002_widen.sql'), 'ALTER TABLE legacy_z ALTER COLUMN amount TYPE varchar(40);\nALTER TABLE legacy_z ALTER COLUMN amount TYPE integer;\n')
    const [one, two] = await Promise.all([sequential.lintFiles([folder]), parallel.lintFiles([folder])])
    expect(two).toEqual(one)
    // Known as varchar(20): widening it is free; to integer rewrites the table.
    const widen = two.files[1].statements
    expect(widen.map((s) => s.rewrite)).toEqual([false, true])
  })
})
