import { execFile } from 'node:child_process'
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { InputError } from '../errors.js'

const run = promisify(execFile)

export type DumpFormat = 'custom' | 'directory' | 'tar' | 'plain'

function head(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const n = readSync(fd, buffer, 0, bytes, 0)
    return buffer.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

/** The pg_dump format of a file or folder, from its bytes (not its name). */
export function detectDumpFormat(path: string): DumpFormat {
  if (!existsSync(path))
    throw new InputError('KDB_SNAPSHOT_MISSING', `snapshot ${path} does not exist`, { file: path, hint: 'Pass a pg_dump file or folder, or a postgres:// URL, to --snapshot.' })
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'toc.dat'))) return 'directory'
    throw new InputError('KDB_SNAPSHOT_FORMAT', `${path} is a folder without toc.dat, not a pg_dump directory dump`, {
      file: path, hint: 'Make it with pg_dump --format=directory, or pass a custom-format or plain SQL dump.',
    })
  }
  const bytes = head(path, 512)
  if (bytes.subarray(0, 5).toString('latin1') === 'PGDMP') return 'custom'
  if (bytes.length >= 262 && bytes.subarray(257, 262).toString('latin1') === 'ustar') return 'tar'
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    throw new InputError('KDB_SNAPSHOT_FORMAT', `${path} is gzip-compressed`, { file: path, hint: 'Decompress it first (gunzip), or dump with --format=custom, which compresses by itself.' })
  if (bytes.includes(0))
    throw new InputError('KDB_SNAPSHOT_FORMAT', `${path} is not a pg_dump file (neither an archive nor SQL text)`, { file: path, hint: 'Pass the output of pg_dump (custom, directory, tar or plain format).' })
  return 'plain'
}

export interface DumpVersions {
  /** Major version of the server the dump was taken from, when the dump says. */
  serverMajor: number | null
  /** Major version of the pg_dump that wrote it. */
  pgDumpMajor: number | null
}

const major = (text: string, label: RegExp): number | null => {
  const m = label.exec(text)
  return m ? Number(m[1]) : null
}

/** Which Postgres the dump came from: plain dumps say it in their header, archives in their TOC. */
export async function dumpVersions(path: string, format: DumpFormat, pgRestore: string): Promise<DumpVersions> {
  let text: string
  if (format === 'plain') text = head(path, 4096).toString('utf8')
  else {
    try {
      text = (await run(pgRestore, ['--list', path], { maxBuffer: 64 * 1024 * 1024 })).stdout
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message)
      if (/unsupported version|version mismatch/i.test(stderr))
        throw new InputError('KDB_DUMP_TOO_NEW', `${path} was written by a newer pg_dump than ${pgRestore} can read: ${stderr.trim()}`, {
          file: path, hint: 'Restore into a newer Postgres with --pg-version (the dump\'s version or later), or dump again with the server\'s pg_dump.',
        })
      throw new InputError('KDB_DUMP_UNREADABLE', `cannot read ${path}: ${stderr.trim()}`, { file: path, hint: 'Check that the file is a complete pg_dump archive.' })
    }
  }
  return {
    serverMajor: major(text, /Dumped from database version:?\s+(\d+)/),
    pgDumpMajor: major(text, /Dumped by pg_dump version:?\s+(\d+)/),
  }
}

/** Refuses a dump from a newer server than ours: its SQL may use syntax and catalogs we do not have. */
export function checkDumpFits(path: string, versions: DumpVersions, serverMajor: number): void {
  const from = versions.serverMajor ?? versions.pgDumpMajor
  if (from !== null && from > serverMajor)
    throw new InputError('KDB_DUMP_TOO_NEW', `${path} comes from Postgres ${from}, newer than the Postgres ${serverMajor} it would be restored into`, {
      file: path, hint: `Run with --pg-version ${from} (your production version), or dump from a Postgres ${serverMajor} server.`,
    })
}
