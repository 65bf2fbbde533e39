import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execOn } from '../../../src/postgres/cluster-handle.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import type { RecoveryTarget } from '../../../src/restore/types.js'
import { archivedSource, seedItems, type ArchivedSource } from './archived-source.js'

let source: ArchivedSource
let backupDir: string
let xid: string
let lsn: string

beforeAll(async () => {
  source = await archivedSource()
  await seedItems(source)
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
