import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { TEMP_PREFIX } from '../postgres/local-cluster.js'
import { asPostgres, chownToPostgres } from '../postgres/os-user.js'
import { WAL_COMPRESSIONS } from './wal-archive.js'

const run = promisify(execFile)

export interface ArchiveEnd {
  /** Commit timestamp of the last transaction in the archive (ISO), when one was found. */
  lastCommitTime?: string
  lastCommitLsn?: string
  /** Segment holding that commit. */
  segment?: string
}

const COMMIT_RE = /lsn: ([0-9A-F]+\/[0-9A-F]+),.*desc: (?:COMMIT|ABORT) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (\S+)/g

/**
 * The last commit in the archive, found by decoding the newest segments with pg_waldump (a compressed
 * segment, named in `compressed`, decompressed into a temp folder first).
 * pg_waldump exits non-zero at the end of a segment's valid records; what it printed before is what we need.
 */
export async function findArchiveEnd(pgWaldump: string, archiveDir: string, lastSegments: string[], compressed = new Map<string, string>()): Promise<ArchiveEnd> {
  for (const segment of [...lastSegments].reverse()) {
    let out = ''
    const file = compressed.get(segment)
    const scratch = file ? mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}waldump-`)) : undefined
    try {
      if (scratch) {
        chownToPostgres(scratch)
        const ext = file!.slice(file!.lastIndexOf('.') + 1)
        await run('/bin/sh', ['-c', `${WAL_COMPRESSIONS[ext]} "$0" > "$1"`, join(archiveDir, file!), join(scratch, segment)], { ...asPostgres() })
      }
      out = (await run(pgWaldump, [join(scratch ?? archiveDir, segment)], { ...asPostgres(), env: { ...process.env, TZ: 'UTC', PGTZ: 'UTC' }, maxBuffer: 256 * 1024 * 1024 })).stdout
    } catch (error) {
      out = (error as { stdout?: string }).stdout ?? ''
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true })
    }
    let last: RegExpExecArray | undefined
    for (const m of out.matchAll(COMMIT_RE)) last = m as RegExpExecArray
    if (last) return { lastCommitTime: toIso(last[2], last[3]), lastCommitLsn: last[1], segment }
  }
  return {}
}

function toIso(stamp: string, zone: string): string {
  const base = stamp.replace(' ', 'T')
  if (zone === 'UTC' || zone === 'GMT') return new Date(`${base}Z`).toISOString()
  const offset = /^[+-]\d\d(:?\d\d)?$/.test(zone) ? zone : 'Z'
  return new Date(`${base}${offset}`).toISOString()
}
