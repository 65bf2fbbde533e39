import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { BIN, REPO, ensureBuilt, runBin } from './run-bin.js'
import { displayPath } from '../../src/cli/render/relative-path.js'

const SQL_PROJECT = 'fixtures/lint/sql-project/migrations'
let tmp: string

beforeAll(() => {
  ensureBuilt()
  tmp = mkdtempSync(join(tmpdir(), 'kdb-cli-'))
  // Readable by the postgres OS user too, for the unreadable-file test run under that uid.
  chmodSync(tmp, 0o755)
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function write(name: string, sql: string): string {
  const path = join(tmp, name)
  writeFileSync(path, sql)
  return path
}

describe('koinonia-db lint exit codes', () => {
  it('a reader that closes early (| head) gets no stack trace, and the exit code still says what was found', async () => {
    const child = spawn(process.execPath, [BIN, 'lint', SQL_PROJECT], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(stderr).toBe('')
    expect(code).toBe(1)
  })

  it('exits 0 when nothing is risky', async () => {
    const r = await runBin(['lint', `${SQL_PROJECT}/001_create_users.sql`, `${SQL_PROJECT}/003_safe_index.sql`])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('✔ 4 statements in 2 files, 0 risky')
  })

  it('exits 1 when a statement is risky, and names file, line, rule, lock and the safe alternative', async () => {
    const r = await runBin(['lint', SQL_PROJECT])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('fixtures/lint/sql-project/migrations/002_index_orders.sql:4:1  error  require-concurrent-index')
    expect(r.stdout).toContain('lock: SHARE on orders, blocks writes and schema changes')
    expect(r.stdout).toContain('safe alternative: CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);')
    // The down migration beside it is not a forward step.
    expect(r.stdout).not.toContain('002_index_orders.down.sql')
    expect(r.stdout).toMatch(/✖ 8 statements in 3 files, 1 risky in 1 file/)
  })

  it('exits 2 for an unknown flag, an unknown format and a bad --pg-version', async () => {
    const flag = await runBin(['lint', '--nope', SQL_PROJECT])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/Unknown option '--nope'/)
    const format = await runBin(['lint', '--format', 'xml', SQL_PROJECT])
    expect(format.code).toBe(2)
    expect(format.stderr).toContain('--format: "xml" is not one of pretty, json, sarif, github, gitlab, markdown, junit, compact [KDB_FORMAT]')
    expect(format.stdout).toBe('')
    for (const version of ['abc', '10', '19']) {
      const pg = await runBin(['lint', '--pg-version', version, SQL_PROJECT])
      expect(pg.code, version).toBe(2)
      expect(pg.stderr).toContain('KDB_PG_VERSION')
    }
  })

  it('exits 2 for a path that does not exist, and still lints the others', async () => {
    const r = await runBin(['lint', '--format', 'json', join(tmp, 'missing.sql'), `${SQL_PROJECT}/002_index_orders.sql`])
    expect(r.code).toBe(2)
    // Shown relative to the working directory, as the CLI shows paths: the result depends on where the repo lives.
    expect(r.stderr).toContain(`${displayPath(join(tmp, 'missing.sql'), process.cwd())}: cannot read: no such file or folder`)
    const json = JSON.parse(r.stdout)
    expect(json.summary).toMatchObject({ files: 2, risky: 1, errors: 1 })
  })

  it('exits 2 for a file it may not read, and still lints the others', async () => {
    const secret = write('secret.sql', 'CREATE INDEX i ON t (c);\n')
    chmodSync(secret, 0o000)
    const dangling = join(tmp, 'dangling.sql')
    symlinkSync(join(tmp, 'gone.sql'), dangling)
    const ok = write('ok.sql', 'CREATE INDEX i ON t (c);\n')
    chmodSync(ok, 0o644)
    // Root reads anything; run as the unprivileged postgres user when we are root.
    const asUser = process.getuid?.() === 0 ? { uid: 101, gid: 104 } : {}
    const r = await runBin(['lint', secret, dangling, ok], { ...asUser, cwd: tmp })
    expect(r.stderr).toContain('secret.sql: cannot read: EACCES')
    expect(r.stderr).toContain('dangling.sql: cannot read: no such file or folder')
    expect(r.stdout).toContain('ok.sql:1:1  error  require-concurrent-index')
    expect(r.code).toBe(2)
  })

  it('exits 2 for a parse error, prints file:line:column and the parser message on stderr, and lints the other files', async () => {
    const r = await runBin(['lint', 'fixtures/lint/spans/parse-error.sql', `${SQL_PROJECT}/002_index_orders.sql`])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('fixtures/lint/spans/parse-error.sql:3:38: syntax error at or near ";"\n')
    expect(r.stdout).toContain('002_index_orders.sql:4:1  error  require-concurrent-index')
    expect(r.stdout).toContain('1 file not linted')
  })

  it('exits 2 for a file Postgres could not read, with its place and the fix: a byte order mark, bytes that are not UTF-8', async () => {
    const bom = write('bom.sql', '\uFEFFCREATE INDEX i ON t (a);\n')
    const latin1 = join(tmp, 'latin1.sql')
    writeFileSync(latin1, Buffer.concat([Buffer.from('CREATE INDEX i ON t (a);\n-- caf\u00e9 '), Buffer.from([0xe9]), Buffer.from('t\u00e9\n')]))
    const r = await runBin(['lint', bom, latin1, `${SQL_PROJECT}/002_index_orders.sql`])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${displayPath(bom, REPO)}:1:1: starts with a UTF-8 byte order mark (BOM)`)
    expect(r.stderr).toContain('save the file as UTF-8 without a BOM')
    // Line 2, after the 8 characters "-- café ".
    expect(r.stderr).toContain(`${displayPath(latin1, REPO)}:2:9: not valid UTF-8 (byte 0xE9)`)
    expect(r.stderr).toContain('convert the file to UTF-8')
    expect(r.stdout).toContain('002_index_orders.sql:4:1  error  require-concurrent-index')
    expect(r.stdout).toContain('2 files not linted')
  })

  it('--assume-in-transaction: a file its migration tool runs in a transaction cannot build an index CONCURRENTLY', async () => {
    const file = write('concurrently.sql', 'CREATE INDEX CONCURRENTLY i ON t (a);\n')
    expect((await runBin(['lint', file])).code).toBe(0)
    const wrapped = await runBin(['lint', '--assume-in-transaction', file])
    expect(wrapped.code).toBe(1)
    expect(wrapped.stdout).toContain('ban-concurrently-in-transaction')
    expect(wrapped.stdout).toContain('inside the transaction the migration tool runs this file in')
  })

  it('--start-after: says on stderr how many of the folder\'s migrations it did not judge, and the JSON summary counts them', async () => {
    const r = await runBin(['lint', '--start-after', '20250317104500', '--format', 'json', 'fixtures/prisma-app/prisma/migrations'])
    expect(r.stderr).toBe('koinonia-db lint: 3 migrations up to the start (--start-after) not judged\n')
    expect(JSON.parse(r.stdout).summary).toMatchObject({ files: 5, skipped: 3 })
  })

  it('exits 0 for an empty file: no statements, as a file of comments', async () => {
    const r = await runBin(['lint', write('empty.sql', '')])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('0 statements in 1 file')
  })

  it('exits 2 with a hint when no path is given and there is no migrations folder', async () => {
    const r = await runBin(['lint'], { cwd: tmp })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('[KDB_NO_PATHS]')
    expect(r.stderr).toContain('hint: Pass the migration files or folders to lint')
  })

  it('says so on stderr and exits 0 when a folder holds no migrations', async () => {
    const empty = join(tmp, 'empty')
    mkdirSync(empty)
    const r = await runBin(['lint', empty])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('no migration files found in')
    expect(r.stdout).toContain('0 statements in 0 files')
  })

  it('lints prisma/migrations by default', async () => {
    const r = await runBin(['lint', '--format', 'json'], { cwd: 'fixtures/lint/prisma-project' })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path)).toEqual([
      'prisma/migrations/20240101000000_init/migration.sql',
      'prisma/migrations/20240201000000_email_index/migration.sql',
    ])
  })

  it('--disable turns a rule off; --pg-version 11 is accepted', async () => {
    const off = await runBin(['lint', '--disable', 'require-concurrent-index', `${SQL_PROJECT}/002_index_orders.sql`])
    expect(off.code).toBe(0)
    const unknown = await runBin(['lint', '--pg-version', '11', `${SQL_PROJECT}/002_index_orders.sql`])
    expect(unknown.code).toBe(1)
  })
})
