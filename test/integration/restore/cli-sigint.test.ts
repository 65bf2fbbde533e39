import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { archivedSource } from './archived-source.js'

// The real binary and a real SIGINT. `npm test` builds dist first (pretest); KDB_DIST points elsewhere.
const main = join(process.env.KDB_DIST ?? 'dist', 'cli/main.cjs')
const built = existsSync(main) && readFileSync(main.replace('cli/main.cjs', 'cli/commands/index.js'), 'utf8').includes('drill')

/** Processes working in a drill folder under `dir` (the CLI's own argv names only `dir` itself). */
function processesUnder(dir: string, program?: string): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      // Postgres rewrites its process title, NULs included: match on the text.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      return cmdline.includes(join(dir, 'koinonia-drill-')) && (!program || cmdline.includes(`/${program} `))
    } catch {
      return false
    }
  })
}

describe.skipIf(!built)('koinonia-db drill under SIGINT (built CLI)', () => {
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
      const child = spawn(process.execPath, [main, 'drill', '--backup-dir', backupDir, '--archive-dir', source.archiveDir, '--target-latest', '--work-dir', workDir],
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
