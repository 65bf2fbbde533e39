import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import type { DrillOptions, DrillResult } from '../../../src/restore/types.js'
import { accidentAfterBackup, archivedSource, ITEM_MARKERS, seedItems, type ArchivedSource } from './archived-source.js'

// One source, one backup, one archive; each fault works on its own copy of what it breaks.
let source: ArchivedSource
let backupDir: string
let lowLevelDir: string
let t: string
let relPath: string

beforeAll(async () => {
  source = await archivedSource()
  await seedItems(source)
  backupDir = join(source.root, 'base')
  lowLevelDir = join(source.root, 'base-low-level')
  await takeBaseBackup({ url: source.server.url, targetDir: backupDir })
  await takeBaseBackup({ url: source.server.url, targetDir: lowLevelDir, method: 'low-level' })
  for (let i = 0; i < 3; i++) {
    await source.sql(`INSERT INTO items VALUES (${500 + i}, 'segment ${i}')`)
    await source.flushArchive()
  }
  ;({ t } = await accidentAfterBackup(source))
  relPath = (await source.sql("SELECT pg_relation_filepath('items') AS p")).rows[0].p as string
})

afterAll(async () => {
  await source?.[Symbol.asyncDispose]()
})

function copyOf(dir: string, name: string): string {
  const to = join(source.root, name)
  execFileSync('cp', ['-a', dir, to])
  return to
}

async function drill(overrides: Partial<DrillOptions> & { archiveDir?: string; backup?: string; restoreCommand?: string }): Promise<DrillResult> {
  return runDrill({
    source: { kind: 'base-backup', backupDir: overrides.backup ?? backupDir, archiveDir: overrides.archiveDir ?? source.archiveDir, restoreCommand: overrides.restoreCommand },
    target: { type: 'time', value: t },
    markers: ITEM_MARKERS,
    settings: { fsync: 'off' },
    ...overrides,
  })
}

describe('fault injection: every fault turns the drill red with a clear reason', () => {
  it('the unbroken drill passes (so the faults below are what fails)', async () => {
    const result = await drill({})
    expect(result.reason).toBeUndefined()
    expect(result.verdict).toBe('pass')
  })

  it('a missing WAL segment in the middle of the archive fails before restoring, naming the segment', async () => {
    const archiveDir = copyOf(source.archiveDir, 'archive-gap')
    const segments = readdirSync(archiveDir).filter((n) => /^[0-9A-F]{24}$/.test(n)).sort()
    const victim = segments[Math.floor(segments.length / 2)]
    rmSync(join(archiveDir, victim))
    // Recovering to "latest" is where Postgres itself would silently stop at the hole and promote.
    const result = await drill({ archiveDir, target: { type: 'latest' }, markers: [] })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toContain(`segment ${victim} is missing`)
    expect(result.phases.map((p) => p.name)).toEqual(['preflight'])
  })

  it('segments of a later timeline without its history file fail preflight', async () => {
    const archiveDir = copyOf(source.archiveDir, 'archive-timeline')
    const last = readdirSync(archiveDir).filter((n) => /^[0-9A-F]{24}$/.test(n)).sort().at(-1)!
    execFileSync('cp', [join(archiveDir, last), join(archiveDir, `00000002${last.slice(8)}`)])
    const result = await drill({ archiveDir, target: { type: 'latest' }, markers: [] })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toBe('preflight: timeline history: history file for timeline 2 missing from the archive')
  })

  it('a target beyond the end of the archive fails', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const result = await drill({ target: { type: 'time', value: later } })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toMatch(/beyond the end of the archive: the last archived commit is at/)
  })

  it('a target LSN beyond the end of the archive fails', async () => {
    const result = await drill({ target: { type: 'lsn', value: 'FF/0' } })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toMatch(/WAL archive continuity|beyond the end of the archive/)
  })

  it('a broken restore_command fails', async () => {
    const result = await drill({ restoreCommand: 'cp /nonexistent-archive/%f "%p"' })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toMatch(/restore_command could not fetch [0-9A-F]{24} \(exit 1\)/)
  })

  it('a corrupted base backup file fails pg_verifybackup', async () => {
    const broken = copyOf(backupDir, 'base-corrupt')
    const fd = openSync(join(broken, relPath), 'r+')
    writeSync(fd, Buffer.from('not a heap page'), 0, 15, 4000)
    closeSync(fd)
    const result = await drill({ backup: broken })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toMatch(/backup manifest: pg_verifybackup found a damaged backup: .*checksum mismatch/)
  })

  it('a corrupted low-level backup file fails the SHA-256 manifest', async () => {
    const broken = copyOf(lowLevelDir, 'base-low-corrupt')
    const fd = openSync(join(broken, relPath), 'r+')
    writeSync(fd, Buffer.from('not a heap page'), 0, 15, 4000)
    closeSync(fd)
    const result = await drill({ backup: broken })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toContain(`${relPath} has changed (SHA-256 mismatch)`)
  })

  it('a marker that does not match fails, the copy is not promoted, and nothing is left running or on disk', async () => {
    const workDir = join(source.root, 'work-marker')
    mkdirSync(workDir)
    chownToPostgres(workDir)
    const result = await drill({ workDir, markers: [{ name: 'row written after T', sql: 'SELECT 1 FROM items WHERE id = 1000', expect: 'present' }] })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toBe('marker: row written after T: expected present, query returned 0 row(s) (not promoted)')
    expect(result.recovery.promoted).toBe(false)
    expect(result.phases.map((p) => p.name)).toEqual(['preflight', 'fetch', 'startup', 'redo', 'checks'])
    expect(readdirSync(workDir)).toEqual([])
    const postmasters = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(workDir)
      } catch {
        return false
      }
    })
    expect(postmasters).toEqual([])
  })

  it('a missed RTO target fails an otherwise clean drill', async () => {
    const result = await drill({ targets: { rtoSeconds: 0.05 } })
    expect(result.verdict).toBe('fail')
    expect(result.recovery.promoted).toBe(true)
    expect(result.reason).toMatch(/^RTO [\d.]+ s exceeds the target 0.05 s$/)
    expect(result.checks.find((c) => c.name === 'RTO')).toMatchObject({ ok: false })
    expect(result.checks.find((c) => c.name === 'RPO')).toMatchObject({ ok: true })
  })

  it('a reference for a database the backup does not have is a failed check, not a crash', async () => {
    const result = await drill({ reference: { database: 'app_missing', tables: { 'public.items': { rows: 200 } } } })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toMatch(/^reference: app_missing: could not compare: database "app_missing" does not exist \(not promoted\)$/)
  })

  it('a restore to the wrong time (after the deletion) is caught by the table reference', async () => {
    const { reference } = { reference: { database: 'postgres', tables: { 'public.items': { rows: 203 } } } }
    const result = await drill({ target: { type: 'latest' }, markers: [], reference })
    expect(result.verdict).toBe('fail')
    expect(result.reason).toMatch(/table: public.items: 54 rows, reference 203/)
  })
})
