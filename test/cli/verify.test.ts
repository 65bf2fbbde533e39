import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { INIT, sqlProject } from '../integration/snapshot/project.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'dist/cli/main.cjs')
const FIXTURE = join(ROOT, 'fixtures/prisma-app')

/** A private TMPDIR per test: whatever Postgres or verify leaves behind shows up in it. */
function privateTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdb-verify-cli-'))
  chmodSync(dir, 0o755) // the postgres OS user must reach the cluster folders inside
  return dir
}
const tmps: string[] = []
afterAll(() => tmps.forEach((d) => rmSync(d, { recursive: true, force: true })))

function cli(args: string[], tmp: string) {
  const child = spawn(process.execPath, [BIN, 'verify', ...args], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp } })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => child.on('close', (code) => ok({ code, stdout, stderr })))
  return { child, done }
}

/** Postgres processes whose data directory is under `tmp`. */
function postgresUnder(tmp: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(tmp) && /postgres/.test(l))
}

/** Whether a backend of the postmaster whose data directory is under `tmp` runs a `command` (its process title says). */
function runningUnder(tmp: string, command = 'INSERT'): boolean {
  const lines = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' }).split('\n').map((l) => l.trim().split(/\s+/))
  const masters = new Set(lines.filter((p) => p.slice(2).join(' ').includes(tmp)).map((p) => p[0]))
  return lines.some((p) => masters.has(p[1]) && p.slice(2).join(' ').endsWith(` ${command}`))
}

function expectNothingLeft(tmp: string) {
  expect(postgresUnder(tmp)).toEqual([])
  expect(readdirSync(tmp)).toEqual([])
}

const provider = process.env.KDB_TEST_PROVIDER ? ['--provider', process.env.KDB_TEST_PROVIDER] : []

describe('koinonia-db verify', () => {
  it('fails the gate on the fixture for the right reasons, as one JSON document, and leaves nothing behind', async () => {
    const tmp = privateTmp()
    tmps.push(tmp)
    const { done } = cli([FIXTURE, '--format', 'json', '--rows', '300', ...provider], tmp)
    const { code, stdout, stderr } = await done
    expect(code, stderr).toBe(1)
    const report = JSON.parse(stdout)
    expect(report).toMatchObject({ version: 1, verdict: 'fail', pgVersion: expect.stringMatching(/^15\./) })
    expect(report.migrations.map((m: { status: string }) => m.status)).toEqual(['applied', 'applied', 'applied', 'applied'])
    // The Prisma "rename" that is really DROP + ADD loses every non-null notes value.
    expect(report.dataLoss).toEqual([expect.objectContaining({ table: 'Contact', column: 'notes', declared: false, migration: '20250612081500_rename_contact_notes_to_memo' })])
    expect(report.dataLoss[0].values).toBeGreaterThan(200)
    // The hand-written down.sql restores the schema but not scheduledAt's values.
    expect(report.rollback).toMatchObject({ ran: true, schemaMatches: true, dataMatches: false })
    expect(report.rollback.dataDifferences.join('\n')).toMatch(/"Campaign"."scheduledAt" has 0 non-null values/)
    // The non-concurrent index build was seen holding a SHARE lock on "Message".
    const index = report.migrations[0].statements[0]
    expect(index).toMatchObject({ locks: ['ShareLock on "Message"'], predicted: 'risky', observed: 'risky' })
    expect(report.tables.find((t: { name: string }) => t.name === 'Message')).toMatchObject({ rowsBefore: 300, rowsAfter: 300, fingerprintMatch: true })
    expectNothingLeft(tmp)
  })

  it('exits 2 with a clear error naming the file on an unreadable snapshot', async () => {
    const tmp = privateTmp()
    tmps.push(tmp)
    const bad = join(tmp, '..', `kdb-not-a-dump-${process.pid}.dump`)
    execFileSync('sh', ['-c', `printf 'PGDMP garbage' > ${bad}`])
    const { code, stderr } = await cli([FIXTURE, '--snapshot', bad, ...provider], tmp).done
    rmSync(bad, { force: true })
    expect(code).toBe(2)
    expect(stderr).toMatch(/kdb-not-a-dump.*\[KDB_DUMP_(UNREADABLE|TOO_NEW)\]/s)
    expect(stderr).toMatch(/hint:/)
    expectNothingLeft(tmp)
  })

  it.each([
    [['--format', 'xml'], /--format: "xml" is not one of pretty, json, markdown, junit \[KDB_FORMAT\]/],
    [['--rows', 'many'], /--rows: "many" is not a whole number \[KDB_FLAG_VALUE\]/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects bad flags %j with exit 2 before starting anything', async (args, message) => {
    const tmp = privateTmp()
    tmps.push(tmp)
    const { code, stderr } = await cli([FIXTURE, ...args], tmp).done
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expectNothingLeft(tmp)
  })

  it('stops and cleans up on SIGINT', async () => {
    const tmp = privateTmp()
    tmps.push(tmp)
    // Enough rows that the synthetic snapshot is still being generated when the signal comes.
    const { child, done } = cli([FIXTURE, '--rows', '3000000', ...provider], tmp)
    // Wait until the server under our TMPDIR runs the synthetic INSERT: the signal lands mid-query.
    const started = Date.now()
    let inserting = false
    while (Date.now() - started < 90_000 && !inserting && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200))
      inserting = runningUnder(tmp)
    }
    expect(inserting).toBe(true)
    child.kill('SIGINT')
    const { code, stderr } = await done
    expect(code, stderr).toBe(130)
    expectNothingLeft(tmp)
  })

  it('cancels a long migration statement on SIGINT instead of waiting for it', async () => {
    const tmp = privateTmp()
    tmps.push(tmp)
    using project = sqlProject([INIT, { name: '002_slow', up: 'SELECT pg_sleep(120);\n', down: 'SELECT 1;\n' }])
    const { child, done } = cli([project.root, '--rows', '100', ...provider], tmp)
    // The pg_sleep is the only SELECT that lasts: seen in polls a second apart, it is running now.
    const started = Date.now()
    let seen = 0
    while (Date.now() - started < 90_000 && seen < 2 && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 500))
      seen = runningUnder(tmp, 'SELECT') ? seen + 1 : 0
    }
    expect(seen).toBe(2)
    const signalled = Date.now()
    child.kill('SIGINT')
    const { code, stderr } = await done
    expect(code, stderr).toBe(130)
    expect(Date.now() - signalled).toBeLessThan(30_000)
    expectNothingLeft(tmp)
  })
})
