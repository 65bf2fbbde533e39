import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execOn } from '../../../src/postgres/cluster-handle.js'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import { systemBindir } from '../../../src/postgres/binaries.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { chownTree } from '../../../src/restore/fs-utils.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import type { RecoveryTarget } from '../../../src/restore/types.js'
import { archivedSource, seedItems, type ArchivedSource } from './archived-source.js'

let source: ArchivedSource
let backupDir: string
let xid: string
let earlyXid: string
let lsn: string
const pgWaldump = join(systemBindir(15)!.dir, 'pg_waldump')

beforeAll(async () => {
  source = await archivedSource()
  await seedItems(source)
  // Before the backup: a restore point and a transaction recovery from it can never reach.
  await source.sql("SELECT pg_create_restore_point('before-backup')")
  earlyXid = String((await source.sql("WITH ins AS (INSERT INTO items VALUES (0, 'early')) SELECT txid_current() AS x")).rows[0].x)
  await source.sql('DELETE FROM items WHERE id = 0')
  backupDir = join(source.root, 'base')
  await takeBaseBackup({ url: source.server.url, targetDir: backupDir })
  xid = String((await source.sql("WITH ins AS (INSERT INTO items SELECT g, 'after backup' FROM generate_series(101, 200) g) SELECT txid_current() AS x")).rows[0].x)
  await source.sql("SELECT pg_create_restore_point('before-delete')")
  lsn = (await source.sql('SELECT pg_current_wal_lsn()::text AS l')).rows[0].l as string
  await source.sql('DELETE FROM items WHERE id <= 150')
  await source.flushArchive()
})

afterAll(async () => {
  await source?.[Symbol.asyncDispose]()
})

describe('every recovery target type reaches its point', () => {
  const cases: [string, () => RecoveryTarget, number][] = [
    ['a named restore point', () => ({ type: 'name', value: 'before-delete' }), 200],
    ['an LSN', () => ({ type: 'lsn', value: lsn }), 200],
    ['a transaction id (inclusive)', () => ({ type: 'xid', value: xid }), 200],
    ['a transaction id (exclusive)', () => ({ type: 'xid', value: xid, inclusive: false }), 100],
    ['immediate (consistency right after the backup)', () => ({ type: 'immediate' }), 100],
  ]
  it.each(cases)('%s', async (_label, target, rows) => {
    const result = await runDrill({ source: { kind: 'base-backup', backupDir, archiveDir: source.archiveDir }, target: target(), keep: true, settings: { fsync: 'off' } })
    try {
      expect(result.reason).toBeUndefined()
      expect((await execOn(result.kept!.url, 'SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(rows)
    } finally {
      await result.kept?.stop()
    }
  })
})

describe('a name or xid target the archive does not hold fails the preflight, before anything is restored', () => {
  it('a restore point found, one misspelt, and one created before the backup started', async () => {
    const check = async (target: RecoveryTarget) => {
      const result = await runDrill({ source: { kind: 'base-backup', backupDir, archiveDir: source.archiveDir }, target })
      return { result, check: result.checks.find((c) => c.name === 'target within archive')! }
    }
    const good = await check({ type: 'name', value: 'before-delete' })
    expect(good.check).toMatchObject({ ok: true, detail: expect.stringMatching(/^restore point 'before-delete' is in the archive \(at 0\/[0-9A-F]+, in [0-9A-F]{24}\)$/) })
    const typo = await check({ type: 'name', value: 'before-delet' })
    expect(typo.check.ok).toBe(false)
    expect(typo.check.detail).toMatch(/^restore point 'before-delet' is not in the archive after the backup started/)
    expect(typo.result.phases.map((p) => p.name)).toEqual(['preflight'])
    const early = await check({ type: 'name', value: 'before-backup' })
    expect(early.check.ok).toBe(false)
  })

  it('a transaction that ended after the backup, one that never existed, and one that ended before the backup', async () => {
    const check = async (value: string) => (await runDrill({ source: { kind: 'base-backup', backupDir, archiveDir: source.archiveDir }, target: { type: 'xid', value } }))
      .checks.find((c) => c.name === 'target within archive')!
    expect(await check(xid)).toMatchObject({ ok: true, detail: expect.stringMatching(new RegExp(`^transaction ${xid} ends in the archive \\(COMMIT at `)) })
    expect(await check('99999999')).toMatchObject({ ok: false, detail: expect.stringMatching(/^transaction 99999999 does not commit or abort in the archive after the backup started/) })
    expect((await check(earlyXid)).ok).toBe(false)
  })
})

describe('segments stored under another name (a repository\'s layout)', () => {
  it('are read for the last commit and for a restore point through a link under their own name', async () => {
    const { findArchiveEnd, findTargetRecord } = await import('../../../src/restore/wal-dump.js')
    const { listWalArchive } = await import('../../../src/restore/wal-archive.js')
    const { segments } = listWalArchive(source.archiveDir)
    const repo = mkdtempSync(join(tmpdir(), 'koinonia-test-repo-'))
    try {
      chownToPostgres(repo)
      const files = new Map<string, string>()
      for (const segment of segments) {
        mkdirSync(join(repo, segment.slice(0, 16)), { recursive: true })
        copyFileSync(join(source.archiveDir, segment), join(repo, segment.slice(0, 16), `${segment}-0123abcd`))
        files.set(segment, join(segment.slice(0, 16), `${segment}-0123abcd`))
      }
      chownTree(repo)
      const plain = await findArchiveEnd(pgWaldump, { dir: source.archiveDir }, segments.slice(-3))
      expect(plain.lastCommitTime).toBeDefined()
      expect(await findArchiveEnd(pgWaldump, { dir: repo, files }, segments.slice(-3))).toEqual(plain)
      expect(await findTargetRecord(pgWaldump, { dir: repo, files }, segments, { type: 'name', value: 'before-delete' }, 0n)).toMatchObject({ record: 'RESTORE_POINT before-delete' })
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })
})
