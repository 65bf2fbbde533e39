import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lintFiles } from '../../src/linter/lint.js'

let dir: string
const migration = (name: string, sql: string) => {
  mkdirSync(join(dir, 'migrations', name), { recursive: true })
  writeFileSync(join(dir, 'migrations', name, 'migration.sql'), sql)
  return join(dir, 'migrations', name, 'migration.sql')
}
let widen: string
let toInt: string
let renamed: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'koinonia-history-'))
  migration('20240101000000_init', 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" VARCHAR(50) NOT NULL, "age" TEXT);\nCREATE INDEX "User_name_idx" ON "User"("name");\n')
  migration('20240201000000_rename', 'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";\n')
  widen = migration('20240301000000_widen', 'ALTER TABLE "User" ALTER COLUMN "fullName" SET DATA TYPE VARCHAR(100);\n')
  toInt = migration('20240401000000_age', 'ALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE INTEGER USING "age"::integer;\n')
  renamed = migration('20240501000000_text', 'ALTER TABLE "User" ALTER COLUMN "fullName" SET DATA TYPE TEXT;\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const typeFindings = async (file: string, history = true) =>
  (await lintFiles([file], { prismaVersion: '6.0.0', history })).files[0].statements[0].findings.filter((f) => f.rule === 'ban-alter-column-type')

describe('column types from earlier migrations of the folder', () => {
  it('knows a widened varchar (through a rename) is free when linting the one new file', async () => {
    expect(await typeFindings(widen)).toEqual([])
    expect(await typeFindings(renamed)).toEqual([])
  })

  it('still flags a real rewrite', async () => {
    const hits = await typeFindings(toInt)
    expect(hits).toHaveLength(1)
    expect(hits[0].severity).toBe('error')
  })

  it('without history the current type is unknown: a warning, not silence', async () => {
    const hits = await typeFindings(widen, false)
    expect(hits.map((h) => h.severity)).toEqual(['warning'])
  })

  it('gives the same answers when the whole folder is linted in order', async () => {
    const result = await lintFiles([join(dir, 'migrations')], { prismaVersion: '6.0.0' })
    const byFile = new Map(result.files.map((f) => [f.path, f.statements.flatMap((s) => s.findings).filter((x) => x.rule === 'ban-alter-column-type')]))
    expect(byFile.get(widen)).toEqual([])
    expect(byFile.get(toInt)).toHaveLength(1)
  })
})

describe('the history cache (node_modules/.cache/koinonia-db)', () => {
  it('is written on the first run, used on the next, and missed when an earlier migration changes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'koinonia-history-cache-'))
    try {
      mkdirSync(join(root, 'node_modules'))
      const file = (name: string, sql: string) => {
        mkdirSync(join(root, 'migrations', name), { recursive: true })
        writeFileSync(join(root, 'migrations', name, 'migration.sql'), sql)
        return join(root, 'migrations', name, 'migration.sql')
      }
      const init = file('20240101000000_init', 'CREATE TABLE "User" ("id" INT, "name" VARCHAR(50));\n')
      const change = file('20240201000000_widen', 'ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(100);\n')
      const findings = async () => (await lintFiles([change], { prismaVersion: '6.0.0' })).files[0].statements[0].findings.filter((f) => f.rule === 'ban-alter-column-type')
      expect(await findings()).toEqual([])
      const cacheDir = join(root, 'node_modules', '.cache', 'koinonia-db')
      expect(readdirSync(cacheDir).filter((f) => f.startsWith('history-'))).toHaveLength(1)
      expect(await findings()).toEqual([])
      // The earlier migration now declares a wider column: narrowing to 100 must be seen, not the cached 50.
      writeFileSync(init, 'CREATE TABLE "User" ("id" INT, "name" VARCHAR(200));\n')
      utimesSync(init, new Date(), new Date(Date.now() + 5000))
      const after = await findings()
      expect(after).toHaveLength(1)
      expect(after[0].severity).toBe('error')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
