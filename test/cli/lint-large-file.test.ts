import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lint } from '../../src/linter/lint.js'
import { formatReport } from '../../src/linter/report/index.js'
import { MIN_CHARS } from '../../src/linter/second-core.js'
import { ensureBuilt, REPO, runBin } from './run-bin.js'

/** Over the size the bin starts the parser's worker for before the CLI loads (cli/main.ts). */
function largeMigration(): string {
  let sql = ''
  for (let i = 0; sql.length < MIN_CHARS * 1.2; i++) {
    sql +=
      `CREATE TABLE "t${i}" ("id" SERIAL NOT NULL, "é${i}" varchar(40), CONSTRAINT "t${i}_pkey" PRIMARY KEY ("id"));\n` +
      `ALTER TABLE legacy ADD COLUMN "c${i}" uuid NOT NULL DEFAULT gen_random_uuid();\n` +
      `CREATE INDEX "i${i}" ON legacy ("c${i}");\n` +
      `UPDATE legacy SET "c${i}" = 'x' WHERE id < ${i};\n`
  }
  return sql
}

describe('koinonia-db lint on a large file (the worker started by the bin)', () => {
  let dir: string
  beforeAll(() => {
    ensureBuilt()
    dir = mkdtempSync(join(tmpdir(), 'kdb-large-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reports what the API reports for the same file, in every statement', async () => {
    const sql = largeMigration()
    writeFileSync(join(dir, 'big.sql'), sql)
    const r = await runBin(['lint', '--format', 'json', '--pg-version', '15', 'big.sql'], { cwd: dir })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    const api = await lint(sql, { path: 'big.sql', pgVersion: 15 })
    expect(r.stdout).toBe(formatReport(api, 'json'))
    expect(JSON.parse(r.stdout).summary.statements).toBeGreaterThan(5_000)
  })

  it('parses on two threads in a host run as `node --input-type=module`, whose options workers inherit', async () => {
    // That option made the worker's code an ES module without `require`: the worker died, its
    // error event ended the host process.
    const sql = largeMigration()
    writeFileSync(join(dir, 'big.sql'), sql)
    // Cut points given: the worker is used whatever the machine's load.
    const script = `import { readFileSync } from 'node:fs'
      const dist = (file) => import(${JSON.stringify(join(REPO, 'dist/linter'))} + '/' + file)
      const [{ ensureParser }, { lintSource }] = await Promise.all([dist('parse.js'), dist('engine.js')])
      await ensureParser()
      const sql = readFileSync('big.sql', 'utf8')
      const started = performance.now()
      const report = lintSource(sql, { path: 'big.sql', pgVersion: 15, prisma: null }, [sql.length / 10, sql.length / 2])
      process.stdout.write(JSON.stringify({ statements: report.statements.length, ms: performance.now() - started }))`
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' }))
    expect(out.statements).toBe((await lint(sql, { path: 'big.sql' })).summary.statements)
    // A worker that never answers is waited for 10 s before this thread parses the rest itself.
    expect(out.ms).toBeLessThan(8_000)
  })
})
