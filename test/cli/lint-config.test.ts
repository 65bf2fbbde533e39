import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ensureBuilt, runBin } from './run-bin.js'

let project: string
beforeAll(() => ensureBuilt())
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'kdb-config-'))
  mkdirSync(join(project, 'migrations', 'sub'), { recursive: true })
  writeFileSync(join(project, 'migrations', '001.sql'), "SET statement_timeout = '5min';\nCREATE INDEX orders_user_idx ON orders (user_id);\n")
})
afterEach(() => rmSync(project, { recursive: true, force: true }))

const config = (name: string, text: string) => writeFileSync(join(project, name), text)

describe('koinonia-db lint with koinonia.config.*', () => {
  it('reads rules overrides from koinonia.config.json found from a subfolder upwards', async () => {
    config('koinonia.config.json', JSON.stringify({ rules: { 'require-concurrent-index': 'off' } }))
    const r = await runBin(['lint', '../001.sql'], { cwd: join(project, 'migrations', 'sub') })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  it('a severity override from YAML shows in the report', async () => {
    config('koinonia.config.yaml', '# comments are fine in YAML\npgVersion: 13\nrules:\n  require-concurrent-index: warning\n')
    const r = await runBin(['lint', '--format', 'json', 'migrations'], { cwd: project })
    expect(JSON.parse(r.stdout).files[0].statements[1].findings[0].severity).toBe('warning')
  })

  it('flags win over the config file', async () => {
    config('koinonia.config.yml', 'pgVersion: 99\n')
    const r = await runBin(['lint', '--pg-version', '15', 'migrations'], { cwd: project })
    // The bad value is still an error: a config file is validated whole, whatever the flags say.
    expect(r.code).toBe(2)
    config('koinonia.config.yml', 'prismaVersion: "5.0.0"\n')
    const ok = await runBin(['lint', '--prisma-version', '7.5.0', '--prisma', '--format', 'json', 'migrations'], { cwd: project })
    expect(JSON.parse(ok.stdout).files[0].prisma).toEqual({ version: '7.5.0', mode: 'per-statement' })
  })

  it('an unknown key is an error naming the file, line and the allowed keys', async () => {
    config('koinonia.config.json', '{\n  "pgVersion": 15,\n  "pgversion": 14\n}\n')
    const r = await runBin(['lint', 'migrations'], { cwd: project })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`${join(project, 'koinonia.config.json')}:3:3: unknown key "pgversion" [KDB_CONFIG_INVALID]`)
    expect(r.stderr).toContain('hint: Allowed keys: pgVersion, prismaVersion, snapshot, rows, seed, provider, image, url, migrationsDir, load, maxRewriteRows, slowMs, jobs, rules, overrides, lint, verify')
  })

  it('a value out of range names the key and what is allowed', async () => {
    config('koinonia.config.yaml', 'pgVersion: 15\nrules:\n  require-concurrent-index: warn\n')
    const r = await runBin(['lint', 'migrations'], { cwd: project })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('koinonia.config.yaml:3:29: rules.require-concurrent-index: "warn" is not a rule setting')
    expect(r.stderr).toContain('must be "error", "warning" or "off"')
    config('koinonia.config.yaml', 'rules:\n  no-such-rule: off\n')
    expect((await runBin(['lint', 'migrations'], { cwd: project })).stderr).toContain('rules.no-such-rule: unknown rule "no-such-rule"')
  })

  it('broken JSON or YAML is an error with its position', async () => {
    config('koinonia.config.json', '{ "pgVersion": 15, }')
    const json = await runBin(['lint', 'migrations'], { cwd: project })
    expect(json.code).toBe(2)
    expect(json.stderr).toMatch(/koinonia\.config\.json:1:20: invalid JSON/)
    rmSync(join(project, 'koinonia.config.json'))
    config('koinonia.config.yaml', 'rules: [1\n')
    const yaml = await runBin(['lint', 'migrations'], { cwd: project })
    expect(yaml.code).toBe(2)
    expect(yaml.stderr).toMatch(/koinonia\.config\.yaml:\d+:\d+: /)
  })

  it('--config points at a file; a missing one is an error', async () => {
    config('custom.yaml', 'rules:\n  require-concurrent-index: off\n')
    expect((await runBin(['lint', '--config', 'custom.yaml', 'migrations'], { cwd: project })).code).toBe(0)
    const missing = await runBin(['lint', '--config', 'nope.json', 'migrations'], { cwd: project })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope.json: config file not found [KDB_CONFIG_UNREADABLE]')
  })

  it('two config files in one folder are ambiguous', async () => {
    config('koinonia.config.json', '{}')
    config('koinonia.config.yaml', '{}')
    const r = await runBin(['lint', 'migrations'], { cwd: project })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('KDB_CONFIG_AMBIGUOUS')
  })
})
