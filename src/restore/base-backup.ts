import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { EnvironmentError, UsageError } from '../errors.js'
import { clientTool } from '../postgres/binaries.js'
import { asPostgres } from '../postgres/os-user.js'
import { chownTree } from './fs-utils.js'
import { newClient } from '../postgres/client.js'

const run = promisify(execFile)

export interface BaseBackupOptions {
  /** Superuser URL of the source cluster. */
  url: string
  /** Empty or missing folder the backup is written to. */
  targetDir: string
  /** `pg_basebackup` (with a backup_manifest) or the low-level API (pg_backup_start / copy / pg_backup_stop). */
  method?: 'pg_basebackup' | 'low-level'
  /** pg_basebackup output format. Default plain. */
  format?: 'plain' | 'tar'
  /** Folder with pg_basebackup; default the system one. */
  bindir?: string
  label?: string
}

export interface BaseBackupResult {
  dir: string
  method: 'pg_basebackup' | 'low-level'
  /** LSN where the backup ended (WAL up to here is needed for consistency). */
  stopLsn?: string
  /** Files copied (low-level) with their SHA-256, written as koinonia_manifest.json. */
  files?: number
}

function emptyTarget(dir: string): string {
  const abs = resolve(dir)
  if (existsSync(abs) && readdirSync(abs).length > 0)
    throw new UsageError('KDB_DRILL_BACKUP_TARGET', `backup folder ${abs} is not empty`, { hint: 'Give an empty or new folder.' })
  mkdirSync(abs, { recursive: true, mode: 0o700 })
  return abs
}

/**
 * Takes a base backup of a running cluster whose WAL is archived.
 * @example
 * await takeBaseBackup({ url, targetDir: '/srv/backups/2026-11-25', method: 'pg_basebackup' })
 */
export async function takeBaseBackup(options: BaseBackupOptions): Promise<BaseBackupResult> {
  const dir = emptyTarget(options.targetDir)
  return (options.method ?? 'pg_basebackup') === 'low-level' ? lowLevelBackup(options, dir) : pgBasebackup(options, dir)
}

async function pgBasebackup(options: BaseBackupOptions, dir: string): Promise<BaseBackupResult> {
  chownTree(dir)
  const tool = clientTool('pg_basebackup', options.bindir)
  // WAL is not copied (-X none): the drill must prove the archive alone can bring the backup to consistency.
  const args = ['-d', options.url, '-D', dir, '-F', options.format === 'tar' ? 't' : 'p', '-X', 'none', '-c', 'fast',
    '--manifest-checksums=CRC32C', '-l', options.label ?? 'koinonia-db base backup']
  try {
    await run(tool, args, { ...asPostgres(), timeout: 3_600_000 })
  } catch (error) {
    const e = error as { stderr?: string; message: string }
    throw new EnvironmentError('KDB_DRILL_BASEBACKUP_FAILED', `pg_basebackup failed: ${(e.stderr || e.message).trim()}`, {
      hint: 'Check that the URL is a superuser or REPLICATION role and max_wal_senders > 0.', cause: error,
    })
  }
  return { dir, method: 'pg_basebackup' }
}

// Contents Postgres recreates or must not be restored (see "Backing Up the Data Directory" in the docs).
const SKIP_CONTENTS = new Set(['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans'])
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'backup_label.old'])

async function lowLevelBackup(options: BaseBackupOptions, dir: string): Promise<BaseBackupResult> {
  const client = newClient({ connectionString: options.url })
  await client.connect()
  const manifest: Record<string, string> = {}
  try {
    const dataDir = (await client.query('SHOW data_directory')).rows[0].data_directory as string
    const spaces = await client.query("SELECT count(*)::int AS n FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global')")
    if (spaces.rows[0].n > 0)
      throw new UsageError('KDB_DRILL_TABLESPACES', 'the low-level backup path does not copy tablespaces outside the data directory', {
        hint: 'Use method pg_basebackup (it maps tablespaces) or pgBackRest.',
      })
    // The session that starts the backup must end it (non-exclusive backup, Postgres 15+).
    await client.query('SELECT pg_backup_start($1, true)', [options.label ?? 'koinonia-db low-level backup'])
    try {
      await copyTree(dataDir, dir, '', manifest)
    } catch (error) {
      await client.query('SELECT pg_backup_stop(false)').catch(() => undefined)
      throw error
    }
    const stop = await client.query('SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(true)')
    const { lsn, labelfile, spcmapfile } = stop.rows[0]
    writeFileSync(join(dir, 'backup_label'), labelfile)
    if (spcmapfile) writeFileSync(join(dir, 'tablespace_map'), spcmapfile)
    writeFileSync(join(dir, 'koinonia_manifest.json'), `${JSON.stringify({ version: 1, stopLsn: lsn, files: manifest }, null, 1)}\n`)
    chownTree(dir)
    return { dir, method: 'low-level', stopLsn: lsn, files: Object.keys(manifest).length }
  } finally {
    await client.end()
  }
}

async function copyTree(from: string, to: string, rel: string, manifest: Record<string, string>): Promise<void> {
  let entries
  try {
    entries = await readdir(join(from, rel))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  await mkdir(join(to, rel), { recursive: true, mode: 0o700 })
  for (const name of entries) {
    const path = rel ? `${rel}/${name}` : name
    if (!rel && SKIP_FILES.has(name)) continue
    if (name.startsWith('pgsql_tmp')) continue
    let stat
    try {
      stat = await lstat(join(from, path))
    } catch {
      continue // removed while we copied: a temp file or a dropped relation, replayed from WAL anyway
    }
    if (stat.isSymbolicLink()) await symlink(await readlink(join(from, path)), join(to, path))
    else if (stat.isDirectory()) {
      if (!rel && SKIP_CONTENTS.has(name)) await mkdir(join(to, path), { mode: 0o700 })
      else await copyTree(from, to, path, manifest)
    } else if (stat.isFile()) {
      const digest = await copyHashed(join(from, path), join(to, path))
      if (digest) manifest[path] = digest
    }
  }
}

/** Copies one file and returns its SHA-256, or undefined when it vanished meanwhile (WAL replay recreates it). */
async function copyHashed(from: string, to: string): Promise<string | undefined> {
  const hash = createHash('sha256')
  try {
    await pipeline(createReadStream(from), async function* (source) {
      for await (const chunk of source) {
        hash.update(chunk)
        yield chunk
      }
    }, createWriteStream(to, { mode: 0o600 }))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    rmSync(to, { force: true })
    return undefined
  }
  return hash.digest('hex')
}
