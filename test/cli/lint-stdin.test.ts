import { describe, expect, it } from 'vitest'
import { beforeAll } from 'vitest'
import { ensureBuilt, runBin } from './run-bin.js'

const PRISMA_APP_MIGRATIONS = 'fixtures/prisma-app/prisma/migrations'

beforeAll(() => ensureBuilt())

describe('koinonia-db lint - (SQL on stdin)', () => {
  it('lints what is piped in, as a file named <stdin>', async () => {
    const r = await runBin(['lint', '-'], { input: 'CREATE INDEX i ON t (a);\n' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('<stdin>:1:1  error  require-concurrent-index')
    expect(r.stdout).toContain('1 statement in 1 file, 1 risky')
  })

  it('--stdin-filepath lints it as that file: Prisma detection, and the types its folder\'s earlier migrations declare', async () => {
    const sql = 'ALTER TABLE "User" ALTER COLUMN "name" TYPE varchar(200);\n'
    const named = await runBin(['lint', '-', '--stdin-filepath', `${PRISMA_APP_MIGRATIONS}/99999999999999_next/migration.sql`, '--format', 'json'], { input: sql })
    expect(named.code).toBe(1)
    const file = JSON.parse(named.stdout).files[0]
    expect(file).toMatchObject({ path: `${PRISMA_APP_MIGRATIONS}/99999999999999_next/migration.sql`, kind: 'prisma', prisma: { mode: 'single-query' } })
    // The init migration made it text.
    expect(file.statements[0].findings[0].message).toContain('text to varchar(200) is not binary-coercible')
    const anonymous = JSON.parse((await runBin(['lint', '-', '--format', 'json'], { input: sql })).stdout).files[0]
    expect(anonymous).toMatchObject({ path: '<stdin>', kind: 'sql' })
    expect(anonymous.statements[0].findings[0].message).toContain('the current type is not in this migration')
  })

  it('checks the bytes as Postgres would read them', async () => {
    const r = await runBin(['lint', '-'], { input: Buffer.from([...Buffer.from('SELECT '), 0xe9, 0x3b, 0x0a]) })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('<stdin>:1:8: not valid UTF-8 (byte 0xE9): Postgres rejects it with "invalid byte sequence for encoding UTF8"; convert the file to UTF-8, e.g. iconv -f LATIN1 -t UTF-8\n')
  })

  it('lints - beside other paths, in the order given; exits 2 for - twice, and for --stdin-filepath without -', async () => {
    const dir = 'fixtures/lint/sql-project/migrations'
    const alone = JSON.parse((await runBin(['lint', dir, '--format', 'json'])).stdout)
    const both = await runBin(['lint', dir, '-', '--format', 'json'], { input: 'CREATE INDEX i ON t (a);\n' })
    expect(both.code).toBe(1)
    const report = JSON.parse(both.stdout)
    expect(report.files.map((f: { path: string }) => f.path)).toEqual([...alone.files.map((f: { path: string }) => f.path), '<stdin>'])
    expect(report.summary).toMatchObject({ files: alone.summary.files + 1, statements: alone.summary.statements + 1, risky: alone.summary.risky + 1 })
    const first = JSON.parse((await runBin(['lint', '-', dir, '--format', 'json'], { input: 'SELECT 1;\n' })).stdout)
    expect(first.files[0].path).toBe('<stdin>')
    const twice = await runBin(['lint', '-', '-'], { input: 'SELECT 1;' })
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('- (the SQL on stdin) was given twice')
    const orphan = await runBin(['lint', 'fixtures/lint/sql-project/migrations', '--stdin-filepath', 'x.sql'])
    expect(orphan.code).toBe(2)
    expect(orphan.stderr).toContain('--stdin-filepath names the SQL read from stdin, and no - was given')
  })
})
