import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { EnvironmentError, InputError } from '../../errors.js'
import { asPostgres, chownToPostgres } from '../../postgres/os-user.js'
import { freeBytes, mb } from '../fs-utils.js'
import type { RecoveryCluster } from '../recovery-cluster.js'
import type { BackupSource, DrillCheck, RecoveryTarget } from '../types.js'
import { listSegmentFolders, WAL_COMPRESSIONS } from '../wal-archive.js'
import { isSegmentName } from '../wal-segments.js'
import { requireConfigFile, type DrillSource, type SourcePreflight } from './drill-source.js'
import { tryRestoreCommand } from './preflight-base-backup.js'
import { toolArchiveChecks } from './target-in-archive.js'
import { pgTimestamp, TOOL_RECOVERY_SETTINGS } from './recovery-settings.js'

const run = promisify(execFile)
type Pgbr = Extract<BackupSource, { kind: 'pgbackrest' }>

interface InfoBackup {
  label: string
  timestamp: { start: number; stop: number }
  lsn: { start: string; stop: string }
  archive: { start: string; stop: string }
  info: { size: number }
}
interface InfoStanza { name: string; status: { code: number; message: string }; backup: InfoBackup[]; archive: { id: string; min: string | null; max: string | null }[] }

/** Runs pgbackrest as the server's OS user (the repository and archive-get are read as that user). */
export async function pgbackrest(source: Pgbr, args: string[], signal?: AbortSignal): Promise<string> {
  const common = [...(source.config ? [`--config=${source.config}`] : []), `--stanza=${source.stanza}`, '--log-level-console=warn', '--log-level-file=off']
  try {
    return (await run('pgbackrest', [...common, ...args], { ...asPostgres(), signal, maxBuffer: 64 * 1024 * 1024, timeout: 24 * 3_600_000 })).stdout
  } catch (error) {
    signal?.throwIfAborted()
    const e = error as { code?: string | number; stderr?: string; stdout?: string; message: string }
    if (e.code === 'ENOENT')
      throw new EnvironmentError('KDB_DRILL_NO_PGBACKREST', 'pgbackrest is not installed', { hint: 'apt-get install -y pgbackrest (see .ci/setup-restore.sh).' })
    throw new EnvironmentError('KDB_DRILL_PGBACKREST_FAILED', `pgbackrest ${args.at(-1)} failed: ${(e.stderr || e.stdout || e.message).trim()}`, {
      hint: 'Check the stanza, the --config file and that the repository is readable by the postgres OS user.', cause: error,
    })
  }
}

/** A setting of a pgbackrest.conf (the first one, whatever its section), or undefined. */
function setting(config: string | undefined, key: string): string | undefined {
  const text = config && existsSync(config) ? readFileSync(config, 'utf8') : ''
  return new RegExp(`^\\s*${key}\\s*=\\s*(.+)$`, 'm').exec(text)?.[1].trim()
}

/** repo1-path from a pgbackrest.conf (the only repository layout we can list for gaps: a posix repo). */
function repoPath(config?: string): string {
  return setting(config, 'repo1-path') ?? '/var/lib/pgbackrest'
}

/**
 * Tries to fetch the backup's first WAL segment as recovery will. `archive-get` checks the stanza
 * against the pg_control of pg1-path; when that data directory is gone (a full loss: the source the
 * configuration names no longer exists), the segment is read from the repository with `repo-get` and
 * decompressed instead. The restored copy's own restore_command (pgbackrest restore writes it) names
 * the restored data directory.
 */
async function tryFetchSegment(source: Pgbr, archiveId: string | undefined, segment: string): Promise<DrillCheck> {
  const base = `pgbackrest ${source.config ? `--config=${source.config} ` : ''}--stanza=${source.stanza}`
  const pgPath = setting(source.config, 'pg1-path')
  if (!archiveId || !pgPath || existsSync(join(pgPath, 'global', 'pg_control'))) return tryRestoreCommand(`${base} archive-get %f "%p"`, segment)
  const folder = `archive/${source.stanza}/${archiveId}/${segment.slice(0, 16)}`
  const file = (await pgbackrest(source, ['repo-ls', folder, `--filter=^${segment}-`])).split('\n').find(Boolean)
  if (!file) return { name: 'restore_command', ok: false, detail: `${segment} is not in the repository (${folder})` }
  const ext = file.slice(file.lastIndexOf('.') + 1)
  const decompress = Object.hasOwn(WAL_COMPRESSIONS, ext) ? ` | ${WAL_COMPRESSIONS[ext]}` : ''
  const tried = await tryRestoreCommand(`${base} repo-get ${folder}/${file}${decompress} > "%p"`, segment)
  return tried.ok ? { ...tried, detail: `${tried.detail} from the repository (repo-get: ${pgPath}, the data directory archive-get checks, is gone)` } : tried
}

/** The segments of a pgBackRest archive: archive/<stanza>/<id>/<first 16 hex>/<segment>-<sha1>[.gz|.lz4|.zst|.bz2]. */
const repoSegments = (dir: string) => listSegmentFolders(dir, (f) => (f[24] === '-' && isSegmentName(f.slice(0, 24)) ? f.slice(0, 24) : undefined))

function typeArgs(target: RecoveryTarget): string[] {
  switch (target.type) {
    case 'latest': return ['--type=default']
    case 'immediate': return ['--type=immediate', '--target-action=pause']
    case 'time': return ['--type=time', `--target=${pgTimestamp(target.value)}`, '--target-action=pause', ...(target.inclusive === false ? ['--target-exclusive'] : [])]
    case 'name': return ['--type=name', `--target=${target.value}`, '--target-action=pause']
    default: return [`--type=${target.type}`, `--target=${target.value}`, '--target-action=pause', ...(target.inclusive === false ? ['--target-exclusive'] : [])]
  }
}

/** A pgBackRest repository: the drill orchestrates `pgbackrest restore`, it does not reimplement it. */
export function pgbackrestSource(source: Pgbr, tools: { pgWaldump: string }): DrillSource {
  let chosen: InfoBackup | undefined
  return {
    location: `pgbackrest stanza ${source.stanza}${source.config ? ` (${source.config})` : ''}`,
    async preflight(target, workDir): Promise<SourcePreflight> {
      requireConfigFile('pgbackrest', source.config)
      const info = JSON.parse(await pgbackrest(source, ['--output=json', 'info'])) as InfoStanza[]
      const stanza = info.find((s) => s.name === source.stanza)
      const checks: DrillCheck[] = []
      if (!stanza || stanza.backup.length === 0) {
        checks.push({ name: 'pgbackrest backup', ok: false, detail: `stanza ${source.stanza}: ${stanza?.status.message ?? 'not found'}` })
        return { checks, backupBytes: 0 }
      }
      if (source.set) {
        chosen = stanza.backup.find((b) => b.label === source.set)
        if (!chosen) throw new InputError('KDB_DRILL_NO_SET', `backup set ${source.set} is not in stanza ${source.stanza}`, { hint: 'See `pgbackrest info`.' })
      } else if (target.type === 'time') {
        // What pgbackrest restore --type=time picks: the newest set that stopped before the target.
        const wanted = Date.parse(target.value) / 1000
        chosen = stanza.backup.filter((b) => b.timestamp.stop < wanted).at(-1)
        if (!chosen) {
          const first = new Date(stanza.backup[0].timestamp.stop * 1000).toISOString()
          checks.push({ name: 'pgbackrest backup', ok: false, detail: `no backup set finished before the target ${target.value} (the oldest finished at ${first})` })
          return { checks, backupBytes: 0 }
        }
      } else chosen = stanza.backup.at(-1)!
      const timeline = parseInt(chosen.archive.start.slice(0, 8), 16)
      const startTime = new Date(chosen.timestamp.start * 1000).toISOString()
      const facts: { lastCommitTime?: string } = {}
      const label = { startLsn: chosen.lsn.start, startSegment: chosen.archive.start, timeline, startTime }
      checks.push({ name: 'pgbackrest backup', ok: true, detail: `set ${chosen.label}, WAL ${chosen.archive.start}..${chosen.archive.stop}, ${mb(chosen.info.size)} MB` })
      const archiveId = stanza.archive.at(-1)?.id
      const dir = archiveId ? join(repoPath(source.config), 'archive', source.stanza, archiveId) : ''
      if (dir && existsSync(dir)) {
        const archive = repoSegments(dir)
        checks.push(...await toolArchiveChecks(target, label, archive.segments, { dir, files: archive.files }, tools.pgWaldump, facts,
          { within: 'in the repository', archive: `the pgBackRest archive ${dir}` }))
      } else checks.push({ name: 'WAL archive continuity', ok: true, detail: 'repository is not a local folder; pgBackRest and Postgres check the archive during restore' })
      checks.push(await tryFetchSegment(source, archiveId, chosen.archive.start))
      const free = freeBytes(workDir)
      checks.push({ name: 'disk space', ok: free >= chosen.info.size * 1.1, detail: `${mb(free)} MB free, backup is ${mb(chosen.info.size)} MB` })
      return { checks, label, backupBytes: chosen.info.size, backupTime: startTime, lastCommitTime: facts.lastCommitTime }
    },
    async fetch(cluster: RecoveryCluster, target, signal) {
      // pgbackrest restores only into an empty folder.
      mkdirSync(cluster.dataDir, { mode: 0o700 })
      chownToPostgres(cluster.dataDir)
      const set = source.set ?? chosen?.label
      await pgbackrest(source, [`--pg1-path=${cluster.dataDir}`, '--archive-mode=off', ...(set && target.type !== 'time' ? [`--set=${set}`] : []), ...typeArgs(target), 'restore'], signal)
      cluster.adoptDataDir()
    },
    // pgbackrest restore wrote restore_command and the target into postgresql.auto.conf: keep them.
    recoverySettings: () => ({ settings: {}, preserve: TOOL_RECOVERY_SETTINGS }),
  }
}
