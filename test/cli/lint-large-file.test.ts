import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lint } from '../../src/linter/lint.js'
import { formatReport } from '../../src/linter/report/index.js'
import { MIN_CHARS } from '../../src/linter/second-core.js'
import { ensureBuilt, runBin } from './run-bin.js'

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
})
