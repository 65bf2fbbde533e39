import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/cli/run-cli.js'
import { execOn } from '../../../src/postgres/cluster-handle.js'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import { verify } from '../../../src/snapshot/verify.js'
import { accidentAfterBackup, archivedSource, seedItems, type ArchivedSource } from './archived-source.js'

let source: ArchivedSource
let backupDir: string
let t: string
let frozenIndexPath: string

beforeAll(async () => {
  source = await archivedSource()
  await seedItems(source)
  // A table nobody touches after the backup: WAL replay will not overwrite its pages.
  await source.sql('CREATE TABLE frozen (id int PRIMARY KEY)')
  await source.sql('INSERT INTO frozen SELECT generate_series(1, 200)')
  frozenIndexPath = (await source.sql("SELECT pg_relation_filepath('frozen_pkey') AS p")).rows[0].p as string
  await source.sql('CHECKPOINT')
  backupDir = join(source.root, 'base')
  await takeBaseBackup({ url: source.server.url, targetDir: backupDir, method: 'low-level' })
  ;({ t } = await accidentAfterBackup(source))
})

afterAll(async () => {
  await source?.[Symbol.asyncDispose]()
})

/** Postgres processes whose command line mentions a folder: nothing may outlive a drill. */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)
    } catch {
      return false
    }
  }).map(Number)
}

function capture() {
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (d) => (stdout += d))
  err.on('data', (d) => (stderr += d))
  return { out, err, text: () => ({ stdout, stderr }) }
}

async function cli(args: string[], signal = new AbortController().signal) {
  const io = capture()
  const code = await runCli(['drill', ...args], { stdout: io.out, stderr: io.err, cwd: process.cwd(), env: process.env, signal })
  return { code, ...io.text() }
}

describe('scenarios', () => {
  it('full loss: restores the latest state from scratch and Postgres promotes at the end of the archive', async () => {
    const result = await runDrill({ source: { kind: 'base-backup', backupDir, archiveDir: source.archiveDir }, scenario: 'full-loss', keep: true })
    try {
      expect(result.reason).toBeUndefined()
      expect(result.target).toEqual({ type: 'latest' })
      expect(result.phases.find((p) => p.name === 'promote')?.detail).toMatch(/promoted by Postgres/)
      const rows = (await execOn(result.kept!.url, 'SELECT count(*)::int AS n, bool_or(id = 1000) AS late FROM items')).rows[0]
      expect(rows).toEqual({ n: 51, late: true })
      expect(result.rpoSeconds).toBe(0)
    } finally {
      await result.kept?.stop()
    }
  })

  it('a kept, promoted copy is a snapshot the migration gate can replay on', async () => {
    const result = await runDrill({ source: { kind: 'base-backup', backupDir, archiveDir: source.archiveDir }, scenario: 'full-loss', keep: true })
    const project = mkdtempSync(join(tmpdir(), 'koinonia-drill-to-verify-'))
    try {
      mkdirSync(join(project, 'migrations'))
      writeFileSync(join(project, 'migrations', '001_item_note.sql'), 'ALTER TABLE items ADD COLUMN checked_in_drill boolean;\n')
      writeFileSync(join(project, 'migrations', '001_item_note.down.sql'), 'ALTER TABLE items DROP COLUMN checked_in_drill;\n')
      const gate = await verify({ cwd: project, snapshot: result.kept!.url, provider: 'system' })
      expect(gate.snapshot.kind).toBe('url')
      expect(gate.migrations.map((m) => [m.name, m.status, m.error?.message ?? null])).toEqual([['001_item_note', 'applied', null]])
      expect(gate.tables.find((t) => t.name === 'items')).toMatchObject({ rowsBefore: 51, rowsAfter: 51, fingerprintMatch: true })
      expect(gate.rollback).toMatchObject({ ran: true, schemaMatches: true, dataMatches: true })
      expect(gate.verdict, gate.reasons.join('; ')).toBe('pass')
    } finally {
      await result.kept?.stop()
      rmSync(project, { recursive: true, force: true })
    }
  })

  it('corruption: amcheck finds a damaged index page that the backup carried', async () => {
    const broken = join(source.root, 'base-damaged-index')
    execFileSync('cp', ['-a', backupDir, broken])
    rmSync(join(broken, 'koinonia_manifest.json')) // as if the backup tool kept no checksums
    const fd = openSync(join(broken, frozenIndexPath), 'r+')
    writeSync(fd, Buffer.alloc(8192), 0, 8192, 8192)
    closeSync(fd)
    const result = await runDrill({ source: { kind: 'base-backup', backupDir: broken, archiveDir: source.archiveDir }, scenario: 'corruption' })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toMatch(/^amcheck: postgres: frozen_pkey: .*zero page/)
  })
})

describe('koinonia-db drill', () => {
  it('flags → JSON report (the documented contract), exit 0, one history line', async () => {
    const history = join(source.root, 'history.jsonl')
    const { code, stdout } = await cli(['--backup-dir', backupDir, '--archive-dir', source.archiveDir, '--target-time', t,
      '--marker-present', 'SELECT 1 FROM items WHERE id = 50', '--marker-absent', 'SELECT 1 FROM items WHERE id = 1000',
      '--assert', 'SELECT count(*) = 200 FROM items', '--history', history, '--format', 'json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report).toMatchObject({ version: 1, verdict: 'pass', targets: { rtoSeconds: 1800, rpoSeconds: 300 }, scenario: 'accidental-deletion' })
    expect(typeof report.rtoSeconds).toBe('number')
    expect(typeof report.rpoSeconds).toBe('number')
    expect(report.phases.every((p: { name: string; ms: number }) => typeof p.name === 'string' && typeof p.ms === 'number')).toBe(true)
    expect(report.checks.find((c: { name: string }) => c.name === 'assertion: #1')).toMatchObject({ ok: true })
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(1)
  })

  it('a drill file with a wrong marker → markdown report, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koinonia-test-drillfile-'))
    try {
      const file = join(dir, 'drill.yaml')
      writeFileSync(file, [
        'source:', '  kind: base-backup', `  backupDir: ${backupDir}`, `  archiveDir: ${source.archiveDir}`,
        'target:', '  type: time', `  value: "${t}"`,
        'markers:', '  - name: row 1000 should be there', '    sql: SELECT 1 FROM items WHERE id = 1000', '    expect: present', '',
      ].join('\n'))
      const { code, stdout } = await cli([file, '--format', 'markdown'])
      expect(code).toBe(1)
      expect(stdout).toContain('## Restore drill: ❌ fail (accidental-deletion)')
      expect(stdout).toContain('| marker: row 1000 should be there | ✗ | expected present, query returned 0 row(s) |')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a work folder the server cannot enter is a usage error (exit 2), not a crash', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'koinonia-test-workdir-'))
    try {
      const { code, stderr } = await cli(['--backup-dir', backupDir, '--archive-dir', source.archiveDir, '--target-latest', '--work-dir', workDir])
      expect(code).toBe(2)
      expect(stderr).toContain(`the postgres OS user cannot enter ${workDir} [KDB_DRILL_WORKDIR]`)
      expect(readdirSync(workDir)).toEqual([])
    } finally {
      rmSync(workDir, { recursive: true, force: true })
    }
  })

  it('a drill file with a misspelt option → exit 2 naming the file and line', async () => {
    const { code, stderr } = await cli(['fixtures/drills/bad-unknown-key.yaml'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/fixtures\/drills\/bad-unknown-key.yaml:6: unknown drill option "tagret" \[KDB_DRILL_FILE\]/)
  })

  it('Ctrl-C during recovery stops the server and removes the restored copy', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'koinonia-test-sigint-'))
    chownToPostgres(workDir)
    try {
      const controller = new AbortController()
      const io = capture()
      const isTTY = Object.assign(io.err, { isTTY: true })
      isTTY.on('data', (d: Buffer) => {
        // Aborted while pg_ctl launches the server: the watcher sees the signal with a postmaster running.
        if (d.toString().includes('starting recovery')) controller.abort(new Error('interrupted by SIGINT'))
      })
      const code = await runCli(['drill', '--backup-dir', backupDir, '--archive-dir', source.archiveDir, '--target-time', t, '--work-dir', workDir],
        { stdout: io.out, stderr: isTTY, cwd: process.cwd(), env: process.env, signal: controller.signal })
      expect(controller.signal.aborted).toBe(true)
      expect(code).toBe(130)
      expect(io.text().stderr).toContain('interrupted; the restored copy was stopped and removed')
      expect(readdirSync(workDir)).toEqual([])
      expect(processesUnder(workDir)).toEqual([])
    } finally {
      rmSync(workDir, { recursive: true, force: true })
    }
  })
})
