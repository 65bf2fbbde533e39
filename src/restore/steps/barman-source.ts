import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { EnvironmentError, InputError } from '../../errors.js'
import { quoteLiteral } from '../../postgres/sql.js'
import { freeBytes, mb } from '../fs-utils.js'
import type { RecoveryCluster } from '../recovery-cluster.js'
import type { BackupSource, DrillCheck, RecoveryTarget } from '../types.js'
import { listSegmentFolders } from '../wal-archive.js'
import { isSegmentName } from '../wal-segments.js'
import { requireConfigFile, type DrillSource, type SourcePreflight } from './drill-source.js'
import { pgTimestamp, TOOL_RECOVERY_SETTINGS } from './recovery-settings.js'
import { toolArchiveChecks } from './target-in-archive.js'

const run = promisify(execFile)
type Barman = Extract<BackupSource, { kind: 'barman' }>

interface ListedBackup { backup_id: string; status: string; end_time_timestamp: string }
interface BackupInfo {
  begin_lsn: string
  begin_time: string
  begin_wal: string
  end_wal: string
  end_time_timestamp: string
  timeline: number
  disk_usage_with_wals_bytes: number
}
/** From `barman show-servers`; `xlog_segment_size` only while the server answers (a full-loss drill runs without it). */
interface ServerInfo { wals_directory: string; barman_home: string; xlog_segment_size?: number }

/**
 * Runs barman as we are: run as root, barman itself switches to its `barman_user` (which must be able
 * to read the catalogue and write the drill's data folder).
 */
async function barman(source: Barman, args: string[], options: { signal?: AbortSignal; binary?: boolean } = {}): Promise<string | Buffer> {
  const common = source.config ? ['-c', source.config] : []
  try {
    const out = await run('barman', [...common, ...args], {
      signal: options.signal, maxBuffer: 256 * 1024 * 1024, timeout: 24 * 3_600_000, encoding: options.binary ? 'buffer' : 'utf8',
    })
    return out.stdout
  } catch (error) {
    options.signal?.throwIfAborted()
    const e = error as { code?: string | number; stderr?: string | Buffer; stdout?: string | Buffer; message: string }
    if (e.code === 'ENOENT')
      throw new EnvironmentError('KDB_DRILL_NO_BARMAN', 'barman is not installed', { hint: 'apt-get install -y barman (see .ci/setup-restore.sh).' })
    const said = String(e.stdout ?? '').trim()
    const message = /^\{"_ERROR"/.test(said) ? (JSON.parse(said) as { _ERROR: string[] })._ERROR.join('; ') : (String(e.stderr ?? '').trim() || said || e.message)
    throw new EnvironmentError('KDB_DRILL_BARMAN_FAILED', `barman ${args.find((a) => !a.startsWith('-') && a !== 'json')} failed: ${message}`, {
      hint: 'Check the server name, the -c configuration file and that barman can read its catalogue (`barman check <server>`).', cause: error,
    })
  }
}

/** `barman -f json <command> <server> ...`: the server's part of the answer. */
async function barmanJson<T>(source: Barman, command: string, ...rest: string[]): Promise<T> {
  const out = JSON.parse(String(await barman(source, ['-f', 'json', command, source.server, ...rest]))) as Record<string, T>
  return out[source.server]
}

/** Segment names in a Barman WAL folder: wals/<first 16 hex>/<segment>, compressed or not under the same name. */
const walSegments = (dir: string) => listSegmentFolders(dir, (f) => (f.length === 24 && isSegmentName(f) ? f : undefined)).segments

function targetArgs(target: RecoveryTarget): string[] {
  const pause = ['--target-action', 'pause']
  const exclusive = 'inclusive' in target && target.inclusive === false ? ['--exclusive'] : []
  switch (target.type) {
    case 'latest': return []
    case 'immediate': return ['--target-immediate', ...pause]
    case 'time': return ['--target-time', pgTimestamp(target.value), ...pause, ...exclusive]
    case 'name': return ['--target-name', target.value, ...pause]
    default: return [`--target-${target.type}`, target.value, ...pause, ...exclusive]
  }
}

/** A Barman server's catalogue: the drill orchestrates `barman recover`, it does not reimplement it. */
export function barmanSource(source: Barman, tools: { pgWaldump: string }): DrillSource {
  let chosen: string | undefined
  let server: ServerInfo | undefined
  return {
    location: `barman server ${source.server}${source.config ? ` (${source.config})` : ''}`,
    async preflight(target, workDir): Promise<SourcePreflight> {
      requireConfigFile('barman', source.config)
      const checks: DrillCheck[] = []
      const done = (await barmanJson<ListedBackup[]>(source, 'list-backups')).filter((b) => b.status === 'DONE')
        .sort((a, b) => Number(a.end_time_timestamp) - Number(b.end_time_timestamp))
      if (done.length === 0) {
        checks.push({ name: 'barman backup', ok: false, detail: `server ${source.server} has no finished backup` })
        return { checks, backupBytes: 0 }
      }
      if (source.backupId) {
        chosen = done.find((b) => b.backup_id === source.backupId)?.backup_id
        if (!chosen) throw new InputError('KDB_DRILL_NO_SET', `backup ${source.backupId} is not a finished backup of barman server ${source.server}`, { hint: 'See `barman list-backups`.' })
      } else if (target.type === 'time') {
        // barman recover refuses a target time before the backup ended: the newest backup that ended before it.
        const wanted = Date.parse(target.value) / 1000
        chosen = done.filter((b) => Number(b.end_time_timestamp) < wanted).at(-1)?.backup_id
        if (!chosen) {
          const first = new Date(Number(done[0].end_time_timestamp) * 1000).toISOString()
          checks.push({ name: 'barman backup', ok: false, detail: `no backup finished before the target ${target.value} (the oldest finished at ${first})` })
          return { checks, backupBytes: 0 }
        }
      } else chosen = done.at(-1)!.backup_id
      const info = (await barmanJson<{ base_backup_information: BackupInfo }>(source, 'show-backup', chosen)).base_backup_information
      server = await barmanJson<ServerInfo>(source, 'show-servers')
      const startTime = new Date(info.begin_time).toISOString()
      const label = { startLsn: info.begin_lsn, startSegment: info.begin_wal, timeline: info.timeline, startTime }
      const bytes = info.disk_usage_with_wals_bytes
      checks.push({ name: 'barman backup', ok: true, detail: `backup ${chosen}, WAL ${info.begin_wal}..${info.end_wal}, ${mb(bytes)} MB with its WAL` })
      const facts: { lastCommitTime?: string } = {}
      if (existsSync(server.wals_directory)) {
        // Segments read through `barman get-wal`, which undoes whatever compression the catalogue uses.
        const fetch = async (segment: string, dest: string) => writeFileSync(dest, await barman(source, ['get-wal', source.server, segment], { binary: true }))
        checks.push(...await toolArchiveChecks(target, label, walSegments(server.wals_directory), { fetch }, tools.pgWaldump, facts,
          { within: 'in the catalogue', archive: `the Barman archive ${server.wals_directory}` }))
      } else checks.push({ name: 'WAL archive continuity', ok: true, detail: `${server.wals_directory} is not readable here; barman checks the archive during recover` })
      checks.push(await fetchFirstSegment(source, info.begin_wal, server.xlog_segment_size))
      const free = freeBytes(workDir)
      checks.push({ name: 'disk space', ok: free >= bytes * 1.1, detail: `${mb(free)} MB free, backup with its WAL is ${mb(bytes)} MB` })
      return { checks, label, backupBytes: bytes, backupTime: startTime, lastCommitTime: facts.lastCommitTime }
    },
    async fetch(cluster: RecoveryCluster, target, signal) {
      // Written by barman's own user (it drops root's rights), then handed to postgres by adoptDataDir.
      mkdirSync(cluster.dataDir, { mode: 0o700 })
      if (process.getuid?.() === 0 && server && existsSync(server.barman_home)) {
        const { uid, gid } = statSync(server.barman_home)
        chownSync(cluster.dataDir, uid, gid)
      }
      await barman(source, ['recover', ...targetArgs(target), source.server, chosen ?? source.backupId ?? 'latest', cluster.dataDir], { signal })
      cluster.adoptDataDir()
    },
    // For a target, barman recover wrote restore_command (from the WAL it copied into barman_wal/), the
    // target, and a recovery_end_command that removes barman_wal/ into postgresql.auto.conf: keep them. For the latest state it copied the WAL into pg_wal and
    // wrote no restore_command; archive recovery reads pg_wal when the restore_command finds nothing.
    recoverySettings: (target) => ({ settings: target.type === 'latest' ? { restore_command: quoteLiteral('false') } : ({} as Record<string, string>), preserve: [...TOOL_RECOVERY_SETTINGS, 'recovery_end_command'] }),
  }
}

/**
 * `barman get-wal` of the backup's first segment: the archive can be read, and the segment is whole (the
 * server's segment size, or, with the server down, a power of two from 1 MB to 1 GB as initdb allows).
 */
async function fetchFirstSegment(source: Barman, segment: string, segmentSize: number | undefined): Promise<DrillCheck> {
  try {
    const bytes = (await barman(source, ['get-wal', source.server, segment], { binary: true })).length
    const whole = segmentSize ? bytes === segmentSize : bytes >= 1 << 20 && bytes <= 1 << 30 && (bytes & (bytes - 1)) === 0
    return whole
      ? { name: 'WAL fetch', ok: true, detail: `barman get-wal fetched ${segment}` }
      : { name: 'WAL fetch', ok: false, detail: `barman get-wal gave ${bytes} bytes for ${segment}, not ${segmentSize ? segmentSize : 'a WAL segment\'s size'}` }
  } catch (error) {
    return { name: 'WAL fetch', ok: false, detail: (error as Error).message }
  }
}
