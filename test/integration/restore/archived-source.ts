import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { expect } from 'vitest'
import { clusterHandle, execOn } from '../../../src/postgres/cluster-handle.js'
import { systemBindir } from '../../../src/postgres/binaries.js'
import { LocalCluster } from '../../../src/postgres/local-cluster.js'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import type { PostgresHandle } from '../../../src/postgres/provider.js'
import { archivingSettings, prepareArchiveDir } from '../../../src/restore/archiving.js'
import { captureReference } from '../../../src/restore/reference.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import type { BackupSource, DrillResult, TableReference } from '../../../src/restore/types.js'
import { startTestPostgres } from '../../helpers/pg.js'

/** A real source cluster archiving every WAL segment into its own folder; disposing stops it and removes both. */
export interface ArchivedSource extends AsyncDisposable {
  server: PostgresHandle
  root: string
  archiveDir: string
  sql(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  /** pg_switch_wal() and wait until the switched segment is in the archive. */
  flushArchive(): Promise<string>
}

export async function archivedSource(extra: Record<string, string> = {}, method: 'command' | 'basic_archive' = 'command', options: { checksums?: boolean } = {}): Promise<ArchivedSource> {
  const root = mkdtempSync(join(tmpdir(), 'koinonia-test-drill-'))
  chownToPostgres(root)
  const archiveDir = prepareArchiveDir(join(root, 'wal-archive'))
  const settings = { ...archivingSettings(archiveDir, method), checkpoint_timeout: '30s', ...extra }
  const server = await (options.checksums ? startWithChecksums(settings) : startTestPostgres({ settings })).catch((error) => {
    rmSync(root, { recursive: true, force: true })
    throw error
  })
  const sql = (text: string, params: unknown[] = []) => execOn(server.url, text, params)
  return {
    server, root, archiveDir, sql,
    async flushArchive() {
      const seg = (await sql('SELECT pg_walfile_name(pg_switch_wal()) AS f')).rows[0].f as string
      for (let i = 0; i < 300; i++) {
        const last = (await sql('SELECT last_archived_wal AS w FROM pg_stat_archiver')).rows[0].w as string | null
        if (last && last >= seg) return seg
        await sleep(100)
      }
      throw new Error(`segment ${seg} was not archived within 30 s`)
    },
    async [Symbol.asyncDispose]() {
      await server.stop()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** Rows 1..100 before the backup; callers take the backup, then call `afterBackup`. */
export async function seedItems(source: ArchivedSource): Promise<void> {
  await source.sql('CREATE TABLE items (id int PRIMARY KEY, note text NOT NULL)')
  await source.sql("INSERT INTO items SELECT g, 'before backup ' || g FROM generate_series(1, 100) g")
}

/**
 * The accident: rows 101..200 written after the backup, T recorded, then rows 1..150 deleted and row 1000
 * written after T. Returns T (ISO) and the table reference taken at T — restoring to T must bring back 1..200 and not have 1000.
 */
export async function accidentAfterBackup(source: ArchivedSource): Promise<{ t: string; reference: TableReference }> {
  await source.sql("INSERT INTO items SELECT g, 'after backup ' || g FROM generate_series(101, 200) g")
  const reference = await captureReference({ url: source.server.url, tables: ['public.items'] })
  await sleep(20)
  const t = ((await source.sql('SELECT clock_timestamp() AS t')).rows[0].t as Date).toISOString()
  await sleep(20)
  await source.sql('DELETE FROM items WHERE id <= 150')
  await source.sql("INSERT INTO items VALUES (1000, 'after T')")
  await source.flushArchive()
  return { t, reference }
}

export const ITEM_MARKERS = [
  { name: 'deleted row 50 is back', sql: 'SELECT 1 FROM items WHERE id = 50', expect: 'present' as const },
  { name: 'row 180 written after the backup', sql: 'SELECT 1 FROM items WHERE id = 180', expect: 'present' as const },
  { name: 'row 1000 written after T is absent', sql: 'SELECT 1 FROM items WHERE id = 1000', expect: 'absent' as const },
]

/** A system-binaries cluster with data checksums on (pg_checksums --enable between initdb and start). */
async function startWithChecksums(settings: Record<string, string>): Promise<PostgresHandle> {
  const bindir = systemBindir(15)
  if (!bindir) throw new Error('the data-checksum tests need the Postgres 15 system binaries')
  const cluster = await LocalCluster.create({ bindir: bindir.dir, label: 'test', settings })
  try {
    await cluster.exec('pg_checksums', ['--enable', '-D', cluster.dataDir])
    await cluster.start()
    return await clusterHandle('system', cluster, bindir.dir)
  } catch (error) {
    await cluster.destroy()
    throw error
  }
}

/** The drill every source test runs: to T, with the item markers and the reference, kept running on a pass. */
export function drillToT(source: BackupSource, t: string, reference: TableReference): Promise<DrillResult> {
  return runDrill({ source, target: { type: 'time', value: t }, markers: ITEM_MARKERS, reference, settings: { fsync: 'off' }, keep: true })
}

/** A drill to T passed and its kept copy holds the state at T (rows 1..200, not row 1000), with archiving off. */
export async function expectStateAtT(result: DrillResult): Promise<void> {
  expect(result.reason).toBeUndefined()
  expect(result.verdict).toBe('pass')
  const rows = (await execOn(result.kept!.url, 'SELECT count(*)::int AS n, bool_or(id = 1000) AS late FROM items')).rows[0]
  expect(rows).toEqual({ n: 200, late: false })
  expect((await execOn(result.kept!.url, 'SHOW archive_mode')).rows[0].archive_mode).toBe('off')
}

/** The built CLI (`npm test` builds dist first; KDB_DIST points elsewhere), or null when dist/ has no drill command. */
export const builtCli: string | null = (() => {
  const main = join(process.env.KDB_DIST ?? 'dist', 'cli/main.cjs')
  return existsSync(main) && readFileSync(main.replace('cli/main.cjs', 'cli/commands/index.js'), 'utf8').includes('drill') ? main : null
})()

/** Processes working in a drill folder under `dir` (the CLI's own argv names only `dir` itself), optionally only `program`. */
export function processesUnder(dir: string, program?: string): string[] {
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

/**
 * Runs the built CLI's `drill` with `args` and a fresh work folder, waits until `program` runs in the
 * drill's folder, sends SIGINT, and returns how it ended, its stderr, and what was left: processes
 * working in the folder, and the work folder's entries.
 */
export async function interruptDrill(args: string[], program: string, label: string): Promise<{ code: number | string | null; stderr: string; running: string[]; left: string[] }> {
  const workDir = mkdtempSync(join(tmpdir(), `koinonia-test-sigint-${label}-`))
  chownToPostgres(workDir)
  try {
    const child = spawn(process.execPath, [builtCli!, 'drill', ...args, '--work-dir', workDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (d) => (stderr += d))
    for (let i = 0; i < 600 && processesUnder(workDir, program).length === 0; i++) await sleep(50)
    expect(processesUnder(workDir, program).length, stderr).toBeGreaterThan(0)
    child.kill('SIGINT')
    const code = await new Promise<number | string | null>((resolve) => child.on('exit', (c, s) => resolve(c ?? s)))
    return { code, stderr, running: processesUnder(workDir), left: readdirSync(workDir) }
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}
