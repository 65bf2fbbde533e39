import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, REPO, ensureBuilt, runBin } from './run-bin.js'

beforeAll(() => ensureBuilt())

describe('koinonia-db rules', () => {
  it('lists every rule with id, category, severity and summary, as JSON too', async () => {
    const r = await runBin(['rules', '--format', 'json'])
    expect(r.code).toBe(0)
    const { version, rules } = JSON.parse(r.stdout)
    expect(version).toBe(1)
    expect(rules.length).toBeGreaterThan(0)
    expect(rules.find((x: { id: string }) => x.id === 'require-concurrent-index')).toMatchObject({ category: 'index', severity: 'error', summary: expect.any(String) })
    const pretty = await runBin(['rules'])
    expect(pretty.stdout.split('\n')[0]).toMatch(/^id +category +severity +postgres +summary$/)
    expect(pretty.stdout).toMatch(/^require-concurrent-index +index +error /m)
  })

  it('explains the rules it is given: why, the safe alternative and the examples; an unknown id exits 2', async () => {
    const r = await runBin(['rules', 'require-concurrent-index', 'ban-add-enum-value-in-transaction'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^require-concurrent-index {2}\(index, error, every Postgres version\)\n\nCREATE INDEX on an existing table must use CONCURRENTLY\.\n\nWhy:\n {2}A plain CREATE INDEX holds a SHARE lock/)
    expect(r.stdout).toContain('Fires on:\n  CREATE INDEX users_email_idx ON users (email);')
    expect(r.stdout).toContain('ban-add-enum-value-in-transaction  (transaction, error, Postgres <=11)')
    const json = JSON.parse((await runBin(['rules', 'require-concurrent-index', '--format', 'json'])).stdout)
    expect(json.rules).toEqual([expect.objectContaining({ id: 'require-concurrent-index', why: expect.stringContaining('SHARE lock'), bad: expect.any(String), good: expect.any(String) })])
    const unknown = await runBin(['rules', 'require-concurent-index'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown rule "require-concurent-index" [KDB_UNKNOWN_RULE]')
  })
})

describe('the koinonia-db binary', () => {
  it('is executable after the build and resolves through npx in this repo', async () => {
    // tsc writes files without the x bit; the postbuild script restores it (only after a clean build).
    expect(statSync(BIN).mode & 0o111).not.toBe(0)
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'koinonia-db', '--version'], { cwd: REPO })
    expect(stdout.trim()).toBe(version)
    // The bin's old path stays a working, executable shim: npx's cache and scripts link to it.
    const shim = await promisify(execFile)(join(REPO, 'dist/cli/main.js'), ['--version'])
    expect(shim.stdout.trim()).toBe(version)
  })

  it('--help lists lint and rules; an unknown command exits 2', async () => {
    const help = await runBin(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^ {2}lint /m)
    expect(help.stdout).toMatch(/^ {2}rules /m)
    const lintHelp = await runBin(['lint', '--help'])
    expect(lintHelp.stdout).toContain('--pg-version N')
    expect((await runBin(['nope'])).code).toBe(2)
  })
})
