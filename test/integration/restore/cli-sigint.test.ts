import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { archivedSource, builtCli, interruptDrill } from './archived-source.js'

describe.skipIf(!builtCli)('koinonia-db drill under SIGINT (built CLI)', () => {
  it('Ctrl-C while WAL is replayed: exit 130, server stopped, restored copy removed', async () => {
    await using source = await archivedSource()
    const backupDir = join(source.root, 'base')
    await takeBaseBackup({ url: source.server.url, targetDir: backupDir })
    // Enough WAL that recovery is still running when the signal arrives.
    await source.sql('CREATE TABLE filler AS SELECT g, repeat(md5(g::text), 10) AS pad FROM generate_series(1, 1000000) g')
    await source.flushArchive()
    // Interrupted once the restored server is up (a postmaster in the drill's folder).
    const ended = await interruptDrill(['--backup-dir', backupDir, '--archive-dir', source.archiveDir, '--target-latest'], 'postgres', 'cli')
    expect(ended).toMatchObject({ code: 130, running: [], left: [] })
    expect(ended.stderr).toContain('interrupted; the restored copy was stopped and removed')
  })
})
