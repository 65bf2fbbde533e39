import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { quoteLiteral } from '../../../src/postgres/sql.js'
import { ARCHIVE_COMPRESSIONS, safeArchiveCommand } from '../../../src/restore/archiving.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import { toolAvailable } from '../../helpers/tools.js'
import { accidentAfterBackup, archivedSource, drillToT, expectStateAtT, ITEM_MARKERS, seedItems } from './archived-source.js'

const ways = (['gzip', 'zstd'] as const).map((compress) => ({
  compress, ext: ARCHIVE_COMPRESSIONS[compress].ext,
  available: toolAvailable(compress, `the drill from a .${ARCHIVE_COMPRESSIONS[compress].ext} WAL archive`, `apt-get install -y ${compress}, see .ci/setup-restore.sh`),
}))

describe('drill from a WAL archive whose archive_command compresses', () => {
  for (const { ext, compress, available } of ways) {
    it.skipIf(!available)(`segments written as <name>.${ext} (after plain ones) are listed, decompressed by the default restore_command and read for the last commit; a gap among them fails before restoring`, async () => {
      await using source = await archivedSource()
      const dir = source.archiveDir
      // Compression switched on while the server runs: the archive holds plain segments, then compressed ones.
      await source.flushArchive()
      await source.sql(`ALTER SYSTEM SET archive_command = ${quoteLiteral(safeArchiveCommand(dir, compress))}`)
      await source.sql('SELECT pg_reload_conf()')
      await source.flushArchive()
      await seedItems(source)
      const backupDir = join(source.root, 'base')
      await takeBaseBackup({ url: source.server.url, targetDir: backupDir, method: 'pg_basebackup', format: 'plain' })
      const { t, reference } = await accidentAfterBackup(source)
      const files = readdirSync(dir)
      expect(files.some((f) => /^[0-9A-F]{24}$/.test(f))).toBe(true)
      expect(files.filter((f) => f.endsWith(`.${ext}`)).length).toBeGreaterThanOrEqual(3)

      const result = await drillToT({ kind: 'base-backup', backupDir, archiveDir: dir }, t, reference)
      try {
        await expectStateAtT(result)
        expect(result.checks.find((c) => c.name === 'WAL archive continuity')?.detail).toMatch(/no gap/)
        // The last commit was read from a compressed segment.
        expect(result.checks.find((c) => c.name === 'target within archive')?.detail).toMatch(/is before the last archived commit/)
        expect(result.checks.find((c) => c.name === 'restore_command')).toMatchObject({ ok: true })
      } finally {
        await result.kept?.stop()
      }

      // A compressed segment between the backup's first and the archive's last (one more switched to make it so).
      await source.sql('SELECT txid_current()')
      await source.flushArchive()
      const after = readdirSync(dir).filter((f) => new RegExp(`^[0-9A-F]{24}\\.${ext}$`).test(f) && f.slice(0, 24) > result.source.startSegment!).sort()
      expect(after.length).toBeGreaterThanOrEqual(2)
      const victim = after[0]
      rmSync(join(dir, victim))
      const gap = await runDrill({ source: { kind: 'base-backup', backupDir, archiveDir: dir }, target: { type: 'time', value: t }, markers: ITEM_MARKERS })
      expect(gap.verdict).toBe('fail')
      expect(gap.reason).toContain(`segment ${victim.slice(0, 24)} is missing from ${dir}`)
      expect(gap.phases.map((p) => p.name)).toEqual(['preflight'])
    })
  }
})
