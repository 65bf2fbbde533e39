import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { archivedSource, builtCli, processesUnder } from './archived-source.js'

describe.skipIf(!builtCli)('koinonia-db drill under SIGINT (built CLI)', () => {
  it('Ctrl-C while WAL is replayed: exit 130, server stopped, restored copy removed', async () => {
    await using source = await archivedSource()
    const backupDir = join(source.root, 'base')
    await takeBaseBackup({ url: source.server.url, targetDir: backupDir })
    // Enough WAL that recovery is still running when the signal arrives.
    await source.sql('CREATE TABLE filler AS SELECT g, repeat(md5(g::text), 10) AS pad FROM generate_series(1, 1000000) g')
    await source.flushArchive()
    const workDir = mkdtempSync(join(tmpdir(), 'koinonia-test-sigint-cli-'))
    chownToPostgres(workDir)
    try {
      const child = spawn(process.execPath, [builtCli!, 'drill', '--backup-dir', backupDir, '--archive-dir', source.archiveDir, '--target-latest', '--work-dir', workDir],
        { stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      // Wait until the restored server is up (a postmaster under workDir), then interrupt.
      for (let i = 0; i < 600 && processesUnder(workDir, 'postgres').length === 0; i++) await new Promise((r) => setTimeout(r, 50))
      expect(processesUnder(workDir, 'postgres').length, stderr).toBeGreaterThan(0)
      child.kill('SIGINT')
      const code = await new Promise<number | string | null>((resolve) => child.on('exit', (c, s) => resolve(c ?? s)))
      expect(code).toBe(130)
      expect(stderr).toContain('interrupted; the restored copy was stopped and removed')
      expect(processesUnder(workDir)).toEqual([])
      expect(readdirSync(workDir)).toEqual([])
    } finally {
      rmSync(workDir, { recursive: true, force: true })
    }
  })
})
