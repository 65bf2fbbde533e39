import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { execOn } from '../../../src/postgres/cluster-handle.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { captureReference } from '../../../src/restore/reference.js'
import { accidentAfterBackup, archivedSource, drillToT, seedItems } from './archived-source.js'

describe('point-in-time drill from a base backup and a WAL archive', () => {
  const ways = [['pg_basebackup', 'plain'], ['pg_basebackup', 'tar'], ['low-level', 'plain']] as const
  for (const [method, format] of ways) {
    it(`restores to T through ${method} (${format}): deleted rows are back, rows after T are absent`, async () => {
      await using source = await archivedSource()
      await seedItems(source)
      const backupDir = join(source.root, 'base')
      await takeBaseBackup({ url: source.server.url, targetDir: backupDir, method, format })
      if (format === 'tar') expect(existsSync(join(backupDir, 'base.tar'))).toBe(true)
      const { t, reference } = await accidentAfterBackup(source)
      const fresh = await captureReference({ url: source.server.url, tables: ['public.items'] })
      expect(fresh.tables['public.items'].rows).toBe(51) // the source really lost rows

      const result = await drillToT({ kind: 'base-backup', backupDir, archiveDir: source.archiveDir }, t, reference)
      try {
        expect(result.reason).toBeUndefined()
        expect(result.verdict).toBe('pass')
        expect(result.recovery.promoted).toBe(true)
        expect(result.recovery.stopReason).toMatch(/recovery stopping/)
        const rows = (await execOn(result.kept!.url, 'SELECT count(*)::int AS n, max(id) AS m FROM items')).rows[0]
        expect(rows).toEqual({ n: 200, m: 200 })
        const inRecovery = (await execOn(result.kept!.url, 'SELECT pg_is_in_recovery() AS r')).rows[0].r
        expect(inRecovery).toBe(false)
        expect(result.phases.map((p) => p.name)).toEqual(['preflight', 'fetch', 'startup', 'redo', 'checks', 'promote', 'checkpoint', 'verify'])
        expect(result.checks.find((c) => c.name === 'amcheck: postgres')?.ok).toBe(true)
        expect(result.checks.find((c) => c.name === 'table: public.items')).toMatchObject({ ok: true, detail: '200 rows, fingerprint matches' })
        expect(result.rpoSeconds).toBeLessThan(5)
      } finally {
        await result.kept?.stop()
      }
      expect(existsSync(result.kept!.dataDir)).toBe(false)
    })
  }
})
