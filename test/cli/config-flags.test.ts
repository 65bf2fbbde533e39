import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run-cli.js'

const ROOT = join(import.meta.dirname, '../..')
let dir: string
let cwd: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'koinonia-cfgflags-'))
  cwd = join(dir, 'work')
  mkdirSync(join(cwd, 'migrations'), { recursive: true })
  writeFileSync(join(cwd, 'migrations', '001_index.sql'), 'CREATE INDEX users_email ON users (email);\n')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function config(settings: unknown): void {
  writeFileSync(join(dir, 'koinonia.config.json'), JSON.stringify(settings))
}

async function cli(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const sink = (into: string[]) => ({ write: (s: string) => (into.push(String(s)), true) }) as unknown as NodeJS.WritableStream
  const code = await runCli(args, { stdout: sink(out), stderr: sink(err), cwd, env: { PATH: process.env.PATH }, signal: new AbortController().signal })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

const rulesFired = (stdout: string) => JSON.parse(stdout).files.flatMap((f: { statements: { findings: { rule: string }[] }[] }) => f.statements.flatMap((s) => s.findings.map((x) => x.rule)))

describe('a config value reaches the command when its flag is absent; the flag wins', () => {
  it('lint: lint.format and lint.disable from the config, --format and --disable override them', async () => {
    config({ lint: { format: 'json', disable: ['require-concurrent-index', 'require-statement-timeout'] } })
    const fromConfig = await cli('lint', 'migrations')
    expect(rulesFired(fromConfig.stdout)).toEqual([])
    expect(fromConfig.code).toBe(0)

    const flagsWin = await cli('lint', 'migrations', '--disable', 'require-statement-timeout')
    expect(rulesFired(flagsWin.stdout)).toEqual(['require-concurrent-index'])
    expect(flagsWin.code).toBe(1)
    const pretty = await cli('lint', 'migrations', '--format', 'pretty')
    expect(() => JSON.parse(pretty.stdout)).toThrow()
    expect(pretty.stdout).toContain('1 statement in 1 file, 0 risky')
  })

  it('lint: an unknown rule id in lint.disable is an error naming it', async () => {
    config({ lint: { disable: ['require-concurent-index'] } })
    const run = await cli('lint', 'migrations')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('unknown rule "require-concurent-index" [KDB_UNKNOWN_RULE]')
    expect(run.stderr).toMatch(/lint\.disable in \S*koinonia\.config\.\w+: unknown rule/)
    const flagged = await cli('lint', '--disable', 'no-such-rule', 'migrations')
    expect(flagged.stderr).toContain('--disable: unknown rule "no-such-rule"')
  })

  it('rules: the config\'s pgVersion filters the list, --pg-version overrides it', async () => {
    const count = async (...args: string[]) => JSON.parse((await cli('rules', '--format', 'json', ...args)).stdout).rules.length
    const all = await count()
    config({ pgVersion: 11 })
    const at11 = await count()
    expect(at11).toBeLessThan(all)
    expect(await count('--pg-version', '18')).not.toBe(at11)
  })

  it('sanitize: sanitize.target and sanitize.rules (relative to the config file) are used; --target wins', async () => {
    copyFileSync(join(ROOT, 'fixtures/sanitize/church.sanitize.yaml'), join(dir, 'sanitize.yaml'))
    config({ sanitize: { target: 'postgres://kdb@127.0.0.1:1/from_config', rules: 'sanitize.yaml' } })
    const fromConfig = await cli('sanitize', 'check')
    expect(fromConfig.code).toBe(3)
    expect(fromConfig.stderr).toContain('127.0.0.1:1/from_config')
    const flagWins = await cli('sanitize', 'check', '--target', 'postgres://kdb@127.0.0.1:2/from_flag')
    expect(flagWins.code).toBe(3)
    expect(flagWins.stderr).toContain('127.0.0.1:2/from_flag')
    expect(flagWins.stderr).not.toContain('from_config')
  })

  it('drill: the drill section is a drill file\'s defaults: paths relative to the config file, flags win', async () => {
    config({ drill: { backupDir: 'backups/base', archiveDir: 'backups/wal', format: 'json' } })
    const fromConfig = await cli('drill')
    expect(fromConfig.code).toBe(2)
    expect(fromConfig.stderr).toContain(`backup folder ${join(dir, 'backups/base')} does not exist`)
    const flagWins = await cli('drill', '--backup-dir', 'elsewhere')
    expect(flagWins.stderr).toContain(`backup folder ${join(cwd, 'elsewhere')} does not exist`)
    writeFileSync(join(cwd, 'drill.yaml'), 'source: { kind: base-backup, backupDir: from-file, archiveDir: wal }\n')
    const fileBeatsConfig = await cli('drill', 'drill.yaml')
    expect(fileBeatsConfig.stderr).toContain(`backup folder ${join(cwd, 'from-file')} does not exist`)
  })

  it('drill: no backup from flags, file or config is a usage error naming the flags; a bad option of the file too', async () => {
    const none = await cli('drill', '--target-latest')
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no backup to drill from [KDB_DRILL_FLAG]')
    expect(none.stderr).toContain('--backup-dir and --archive-dir, or --stanza')
    writeFileSync(join(cwd, 'drill.yaml'), 'source: { kind: base-backup, backupDir: b, archiveDir: wal }\ntargets: { rtoSeconds: 0 }\n')
    const badFile = await cli('drill', 'drill.yaml')
    expect(badFile.code).toBe(2)
    expect(badFile.stderr).toContain('the RTO target: 0 is not a positive number of seconds [KDB_DRILL_OPTIONS]')
  })

  it('sweep: sweep.label and sweep.format from the config', async () => {
    config({ sweep: { label: 'no-such-label-for-this-test', format: 'json' } })
    const run = await cli('sweep')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ version: 1, folders: [], servers: [] })
  }, 60_000)
})
