import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { UsageError } from '../errors.js'
import { execOn } from '../postgres/cluster-handle.js'
import { chownToPostgres } from '../postgres/os-user.js'
import { quoteLiteral } from '../postgres/sql.js'

export interface SetupArchivingOptions {
  /** Superuser URL of the source cluster. */
  url: string
  /** Folder WAL segments are copied into; created when missing. */
  archiveDir: string
  /** `command` (a safe cp) or the `basic_archive` module of Postgres 15+. Default `command`. */
  method?: 'command' | 'basic_archive'
  /** With `command`: write each segment compressed, as `<segment>.gz` (`.zst`, `.lz4`); drills read those. */
  compress?: ArchiveCompression
}

/** The compressions the archive_command can write: the file suffix and the command that compresses to standard output. */
export const ARCHIVE_COMPRESSIONS = { gzip: { ext: 'gz', command: 'gzip -c' }, zstd: { ext: 'zst', command: 'zstd -qc' }, lz4: { ext: 'lz4', command: 'lz4 -qc' } } as const
export type ArchiveCompression = keyof typeof ARCHIVE_COMPRESSIONS

export interface SetupArchivingResult {
  archiveDir: string
  /** The settings written with ALTER SYSTEM (also usable as startup settings). */
  settings: Record<string, string>
  /** archive_mode only changes at server start. */
  restartRequired: boolean
}

function checkedDir(dir: string): string {
  const abs = resolve(dir)
  // The path lands inside a shell command and a postgresql.conf string: refuse characters that would need escaping twice.
  if (/['"\\%\s$`]/.test(abs))
    throw new UsageError('KDB_DRILL_ARCHIVE_PATH', `archive folder "${abs}" contains quotes, %, $, spaces or backslashes`, {
      hint: 'Use a plain path such as /var/lib/postgresql/wal-archive.',
    })
  return abs
}

/**
 * archive_command that never overwrites a segment and never leaves a half-written one under its final
 * name: the copy goes to a .tmp file first and is renamed (rename is atomic within a filesystem). With
 * `compress`, the copy is compressed and named `<segment>.<ext>`.
 */
export function safeArchiveCommand(archiveDir: string, compress?: ArchiveCompression): string {
  const dir = checkedDir(archiveDir)
  if (!compress) return `test ! -f ${dir}/%f && cp %p ${dir}/%f.tmp && mv ${dir}/%f.tmp ${dir}/%f`
  const { ext, command } = ARCHIVE_COMPRESSIONS[compress]
  return `test ! -f ${dir}/%f.${ext} && ${command} %p > ${dir}/%f.${ext}.tmp && mv ${dir}/%f.${ext}.tmp ${dir}/%f.${ext}`
}

/** Startup settings that archive every finished WAL segment into `archiveDir` (values quoted for postgresql.conf). */
export function archivingSettings(archiveDir: string, method: SetupArchivingOptions['method'] = 'command', compress?: ArchiveCompression): Record<string, string> {
  const dir = checkedDir(archiveDir)
  const base = { wal_level: 'replica', archive_mode: 'on' }
  if (method === 'basic_archive')
    return { ...base, archive_library: quoteLiteral('basic_archive'), 'basic_archive.archive_directory': quoteLiteral(dir) }
  return { ...base, archive_command: quoteLiteral(safeArchiveCommand(dir, compress)) }
}

/** Creates the archive folder so that the server's OS user can write it. */
export function prepareArchiveDir(archiveDir: string): string {
  const dir = checkedDir(archiveDir)
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  chownToPostgres(dir)
  return dir
}

/**
 * Turns on WAL archiving of a running cluster with ALTER SYSTEM, so a team can start drilling.
 * @example
 * const { restartRequired } = await setupArchiving({ url, archiveDir: '/srv/wal-archive' })
 */
export async function setupArchiving(options: SetupArchivingOptions): Promise<SetupArchivingResult> {
  const archiveDir = prepareArchiveDir(options.archiveDir)
  if (options.compress && options.method === 'basic_archive')
    throw new UsageError('KDB_DRILL_OPTIONS', 'basic_archive copies segments as they are; it cannot compress them', { hint: 'Use method command with compress, or basic_archive without.' })
  if (options.compress && !(options.compress in ARCHIVE_COMPRESSIONS))
    throw new UsageError('KDB_DRILL_OPTIONS', `unknown compression "${options.compress}"`, { hint: `Use one of: ${Object.keys(ARCHIVE_COMPRESSIONS).join(', ')}.` })
  const settings = archivingSettings(archiveDir, options.method, options.compress)
  for (const [name, value] of Object.entries(settings)) {
    const literal = value.startsWith("'") ? value : quoteLiteral(value)
    await execOn(options.url, `ALTER SYSTEM SET ${name} = ${literal}`)
  }
  await execOn(options.url, 'SELECT pg_reload_conf()')
  const current = (await execOn(options.url, 'SHOW archive_mode')).rows[0].archive_mode as string
  const wal = (await execOn(options.url, 'SHOW wal_level')).rows[0].wal_level as string
  return { archiveDir, settings, restartRequired: current === 'off' || wal === 'minimal' }
}

/** Whether the basic_archive module is installed for this bindir's Postgres. */
export function hasBasicArchive(pkglibdir: string): boolean {
  return existsSync(join(pkglibdir, 'basic_archive.so'))
}
