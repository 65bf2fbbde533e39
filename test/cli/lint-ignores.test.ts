import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, runBin } from './run-bin.js'

let dir: string
beforeAll(() => {
  ensureBuilt()
  dir = mkdtempSync(join(tmpdir(), 'kdb-ignores-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Every case sets a statement timeout first, so the index builds below carry only the finding under test.
const TIMEOUT = "SET statement_timeout = '5min';\n"

async function lintJson(name: string, sql: string) {
  writeFileSync(join(dir, name), TIMEOUT + sql)
  const r = await runBin(['lint', '--format', 'json', name], { cwd: dir })
  return { code: r.code, file: JSON.parse(r.stdout).files[0] }
}

describe('koinonia-db-ignore comments', () => {
  it('an ignore with a reason silences the finding on the next statement only', async () => {
    const { code, file } = await lintJson('stmt.sql', [
      '-- koinonia-db-ignore require-concurrent-index: orders has 40 rows, built in the maintenance window',
      'CREATE INDEX a_idx ON orders (a);',
      'CREATE INDEX b_idx ON orders (b);',
    ].join('\n'))
    expect(code).toBe(1)
    expect(file.statements[1]).toMatchObject({ verdict: 'safe', findings: [] })
    expect(file.statements[1].ignored).toEqual([expect.objectContaining({
      rule: 'require-concurrent-index', reason: 'orders has 40 rows, built in the maintenance window',
    })])
    expect(file.statements[2].verdict).toBe('risky')
    expect(file.notices).toEqual([])
  })

  it('a trailing ignore on the statement line applies to that statement', async () => {
    const { code, file } = await lintJson('trailing.sql', 'CREATE INDEX a_idx ON orders (a); -- koinonia-db-ignore require-concurrent-index: tiny table\n')
    expect(code).toBe(0)
    expect(file.statements[1].ignored).toHaveLength(1)
  })

  it('-ignore-file silences the rule for the whole file', async () => {
    const { code, file } = await lintJson('file.sql', [
      '-- koinonia-db-ignore-file require-concurrent-index: lookup tables, a few rows each',
      'CREATE INDEX a_idx ON countries (a);',
      'CREATE INDEX b_idx ON currencies (b);',
    ].join('\n'))
    expect(code).toBe(0)
    expect(file.statements.map((s: { ignored: unknown[] }) => s.ignored.length)).toEqual([0, 1, 1])
  })

  it('an ignore without a reason silences nothing and is itself reported', async () => {
    const { code, file } = await lintJson('noreason.sql', '-- koinonia-db-ignore require-concurrent-index\nCREATE INDEX a_idx ON orders (a);\n')
    expect(code).toBe(1)
    expect(file.statements[1].verdict).toBe('risky')
    expect(file.notices).toEqual([expect.objectContaining({ rule: 'koinonia-db-ignore', message: expect.stringMatching(/^line 2: .*has no reason/) })])
  })

  it('an ignore that matches nothing, or names an unknown rule, is reported', async () => {
    const { code, file } = await lintJson('unused.sql', [
      '-- koinonia-db-ignore require-concurrent-index: was needed once',
      'CREATE INDEX CONCURRENTLY a_idx ON orders (a);',
      '-- koinonia-db-ignore no-such-rule: typo',
      'SELECT 1;',
    ].join('\n'))
    expect(code).toBe(0)
    expect(file.notices.map((n: { message: string }) => n.message)).toEqual([
      'line 2: ignore comment for require-concurrent-index matches no finding',
      'line 4: ignore comment names unknown rule "no-such-rule"',
    ])
  })

  it('reported ignore problems show in pretty and github output at their line', async () => {
    writeFileSync(join(dir, 'noreason2.sql'), TIMEOUT + '-- koinonia-db-ignore require-concurrent-index\nCREATE INDEX a_idx ON orders (a);\n')
    const pretty = await runBin(['lint', 'noreason2.sql'], { cwd: dir })
    expect(pretty.stdout).toContain('noreason2.sql:2  warning  koinonia-db-ignore')
    const github = await runBin(['lint', '--format', 'github', 'noreason2.sql'], { cwd: dir })
    expect(github.stdout).toMatch(/^::warning file=noreason2\.sql,line=2,title=koinonia-db koinonia-db-ignore::line 2: .*has no reason/m)
  })
})
