import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, runBin } from './run-bin.js'

const RISKY = 'fixtures/lint/sql-project/migrations/002_index_orders.sql'
const PRISMA = 'fixtures/lint/prisma-project/prisma/migrations'
const ANSI = /\u001b\[\d+m/

beforeAll(() => ensureBuilt())

describe('koinonia-db lint --format', () => {
  it('json: exactly one document on stdout, in the version 1 contract, nothing on stderr', async () => {
    const r = await runBin(['lint', '--format', 'json', RISKY, 'fixtures/lint/sql-project/migrations/003_safe_index.sql'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('')
    const doc = JSON.parse(r.stdout)
    expect(Object.keys(doc)).toEqual(['version', 'files', 'summary'])
    expect(doc.version).toBe(1)
    expect(doc.summary).toEqual({ files: 2, statements: 6, risky: 1, errors: 0 })
    const [, , index, addColumn] = doc.files[0].statements
    expect(Object.keys(index).slice(0, 10)).toEqual(['index', 'line', 'column', 'endLine', 'text', 'verdict', 'lock', 'blocks', 'rewrite', 'findings'])
    expect(index).toMatchObject({
      index: 2, line: 4, column: 1, endLine: 4, text: 'CREATE INDEX orders_user_id_idx ON orders (user_id)',
      verdict: 'risky', lock: 'SHARE', blocks: ['writes', 'schema changes'], rewrite: false,
    })
    expect(index.findings[0]).toEqual({
      rule: 'require-concurrent-index', category: 'index', severity: 'error',
      message: expect.stringContaining('SHARE lock'), suggestion: 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);',
    })
    expect(addColumn).toMatchObject({ index: 3, line: 5, verdict: 'safe', lock: 'ACCESS EXCLUSIVE', findings: [] })
    expect(doc.files[1].statements[1]).toMatchObject({ verdict: 'safe', lock: 'SHARE UPDATE EXCLUSIVE' })
  })

  it('json: Prisma migrations carry the detected version and how Prisma runs them', async () => {
    const r = await runBin(['lint', '--format', 'json', PRISMA])
    const doc = JSON.parse(r.stdout)
    expect(doc.files[0]).toMatchObject({ kind: 'prisma', prisma: { version: '6.5.0', mode: 'single-query' } })
    const newer = JSON.parse((await runBin(['lint', '--format', 'json', '--prisma-version', '7.4.0', PRISMA])).stdout)
    expect(newer.files[0].prisma).toEqual({ version: '7.4.0', mode: 'per-statement' })
  })

  it('sarif: SARIF 2.1.0 with rule metadata and physical locations', async () => {
    const r = await runBin(['lint', '--format', 'sarif', RISKY, 'fixtures/lint/spans/parse-error.sql'])
    expect(r.code).toBe(2)
    const sarif = JSON.parse(r.stdout)
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/)
    const run = sarif.runs[0]
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'require-concurrent-index')
    expect(rule).toMatchObject({
      shortDescription: { text: expect.any(String) }, fullDescription: { text: expect.stringContaining('SHARE') },
      help: { text: expect.stringContaining('Safe alternative'), markdown: expect.stringContaining('CONCURRENTLY') },
      defaultConfiguration: { level: 'error' },
    })
    expect(run.results).toHaveLength(1)
    const result = run.results[0]
    expect(result.ruleId).toBe('require-concurrent-index')
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('require-concurrent-index')
    expect(result.level).toBe('error')
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: RISKY, uriBaseId: 'SRCROOT' },
      region: { startLine: 4, startColumn: 1, endLine: 4, snippet: { text: 'CREATE INDEX orders_user_id_idx ON orders (user_id)' } },
    })
    expect(run.originalUriBaseIds.SRCROOT.uri).toMatch(/^file:\/\/\/.*\/$/)
    expect(run.invocations[0].executionSuccessful).toBe(false)
    expect(run.invocations[0].toolExecutionNotifications[0]).toMatchObject({
      level: 'error', message: { text: 'syntax error at or near ";"' },
      locations: [{ physicalLocation: { region: { startLine: 3, startColumn: 38 } } }],
    })
  })

  it('github: one workflow command per finding, escaped', async () => {
    const r = await runBin(['lint', '--format', 'github', RISKY])
    expect(r.code).toBe(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^::error file=fixtures\/lint\/sql-project\/migrations\/002_index_orders\.sql,line=4,endLine=4,col=1,title=koinonia-db require-concurrent-index::CREATE INDEX orders_user_id_idx on orders takes a SHARE lock/)
    // A newline inside the message is %0A, so one annotation stays on one line.
    expect(lines[0]).toContain('%0ASafe alternative: CREATE INDEX CONCURRENTLY')
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(1)
  })

  it('gitlab: a Code Quality report, one JSON array on stdout, paths relative to the working folder', async () => {
    const r = await runBin(['lint', '--format', 'gitlab', RISKY])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('')
    const issues = JSON.parse(r.stdout)
    expect(issues).toContainEqual(expect.objectContaining({
      check_name: 'koinonia-db/require-concurrent-index', severity: 'critical', location: { path: RISKY, lines: { begin: 4 } },
    }))
  })

  it('compact: one path:line:column: severity: message [rule] line per finding', async () => {
    const r = await runBin(['lint', '--format', 'compact', RISKY])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^fixtures\/lint\/sql-project\/migrations\/002_index_orders\.sql:4:1: error: CREATE INDEX orders_user_id_idx on orders takes a SHARE lock .+ \[require-concurrent-index\]$/m)
  })

  it('pretty: the per-statement table lists every statement with verdict, lock and rewrite', async () => {
    const r = await runBin(['lint', RISKY])
    expect(r.stdout).toMatch(/line {2}verdict {2}lock {14}rewrite {2}statement/)
    expect(r.stdout).toMatch(/ {5}4 {2}risky {4}SHARE {13}no {7}CREATE INDEX orders_user_id_idx ON orders \(user_id\)/)
    expect(r.stdout).toMatch(/ {5}5 {2}safe {5}ACCESS EXCLUSIVE {2}no {7}ALTER TABLE orders ADD COLUMN note text/)
    expect(r.stdout).toMatch(/ {4}4 \| CREATE INDEX orders_user_id_idx ON orders \(user_id\);\n {6}\| \^{52}\n/)
  })

  it('pretty: no colour through a pipe, colour with FORCE_COLOR, none with NO_COLOR', async () => {
    expect((await runBin(['lint', RISKY])).stdout).not.toMatch(ANSI)
    expect((await runBin(['lint', RISKY], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI)
    expect((await runBin(['lint', RISKY], { env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI)
    expect((await runBin(['lint', '--format', 'json', RISKY], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI)
  })
})
