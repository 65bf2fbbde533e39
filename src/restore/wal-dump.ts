import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { TEMP_PREFIX } from '../postgres/local-cluster.js'
import { asPostgres, chownToPostgres } from '../postgres/os-user.js'
import { WAL_COMPRESSIONS } from './wal-archive.js'
import { parseLsn } from './wal-segments.js'

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
 * Where archived segments are read from: a folder, where a segment not stored under its own name has
 * its file in `files` (compressed, or in a repository's layout), or a tool that writes a segment to a
 * path (`fetch`: `barman get-wal`).
 */
export interface SegmentStore {
  dir?: string
  files?: Map<string, string>
  fetch?: (segment: string, dest: string) => Promise<void>
}

/** Writes `segment` from `store` to `dest`, decompressing it when its file is compressed. */
async function writeSegment(store: SegmentStore, segment: string, dest: string): Promise<void> {
  if (store.fetch) return store.fetch(segment, dest)
  const file = join(store.dir!, store.files!.get(segment)!)
  const ext = file.slice(file.lastIndexOf('.') + 1)
  if (Object.hasOwn(WAL_COMPRESSIONS, ext)) await run('/bin/sh', ['-c', `${WAL_COMPRESSIONS[ext]} "$0" > "$1"`, file, dest], { ...asPostgres() })
  else symlinkSync(file, dest)
}

/**
 * What pg_waldump prints of one archived segment's XLOG and Transaction records: restore points and
 * transaction ends, all that is looked for here (decoding only those is ~3× faster). A segment not in
 * a folder under its own name is first written (decompressed, linked or fetched) into a temp folder
 * under it: pg_waldump reads the segment's position from its file name. pg_waldump exits non-zero at
 * the end of a segment's valid records; what it printed before is what we need.
 */
async function dumpSegment(pgWaldump: string, store: SegmentStore, segment: string): Promise<string> {
  const direct = !store.fetch && !store.files?.has(segment)
  const scratch = direct ? undefined : mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}waldump-`))
  try {
    if (scratch) {
      chownToPostgres(scratch)
      await writeSegment(store, segment, join(scratch, segment))
    }
    const args = ['--rmgr=XLOG', '--rmgr=Transaction', join(scratch ?? store.dir!, segment)]
    return (await run(pgWaldump, args, { ...asPostgres(), env: { ...process.env, TZ: 'UTC', PGTZ: 'UTC' }, maxBuffer: 256 * 1024 * 1024 })).stdout
  } catch (error) {
    return (error as { stdout?: string }).stdout ?? ''
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * The last commit in the archive, found by decoding the newest segments with pg_waldump. What it
 * decoded is left in `dumped`, for findTargetRecord not to decode (or fetch) those segments again.
 */
export async function findArchiveEnd(pgWaldump: string, store: SegmentStore, lastSegments: string[], dumped?: Map<string, string>): Promise<ArchiveEnd> {
  for (const segment of [...lastSegments].reverse()) {
    const out = await dumpSegment(pgWaldump, store, segment)
    dumped?.set(segment, out)
    let last: RegExpExecArray | undefined
    for (const m of out.matchAll(COMMIT_RE)) last = m as RegExpExecArray
    if (last) return { lastCommitTime: toIso(last[2], last[3]), lastCommitLsn: last[1], segment }
  }
  return {}
}

const LSN_OF_RECORD = /lsn: ([0-9A-F]+\/[0-9A-F]+),/

/**
 * Where recovery would stop for a `name` or `xid` target: the first record at or after `fromLsn` that
 * is that restore point (`RESTORE_POINT <name>`) or that transaction's end (its COMMIT or ABORT, or
 * COMMIT/ABORT PREPARED), searched segment by segment in order; those in `dumped` are not decoded
 * again. Undefined when the archive does not hold it: recovery would replay all of it and fail.
 */
export async function findTargetRecord(pgWaldump: string, store: SegmentStore, segments: string[], target: { type: 'name' | 'xid'; value: string },
  fromLsn: bigint, dumped?: Map<string, string>): Promise<{ segment: string; lsn: string; record: string } | undefined> {
  const ends = new RegExp(`tx:\\s+${target.value}, .*desc: (?:COMMIT|ABORT) |desc: (?:COMMIT|ABORT)_PREPARED ${target.value}:`)
  const matches = target.type === 'name' ? (line: string) => line.endsWith(`desc: RESTORE_POINT ${target.value}`) : (line: string) => ends.test(line)
  for (const segment of segments) {
    const out = dumped?.get(segment) ?? await dumpSegment(pgWaldump, store, segment)
    for (const line of out.split('\n')) {
      if (!matches(line)) continue
      const lsn = LSN_OF_RECORD.exec(line)?.[1]
      if (lsn && parseLsn(lsn) >= fromLsn) return { segment, lsn, record: line.slice(line.indexOf('desc: ') + 6) }
    }
  }
  return undefined
}

function toIso(stamp: string, zone: string): string {
  const base = stamp.replace(' ', 'T')
  if (zone === 'UTC' || zone === 'GMT') return new Date(`${base}Z`).toISOString()
  const offset = /^[+-]\d\d(:?\d\d)?$/.test(zone) ? zone : 'Z'
  return new Date(`${base}${offset}`).toISOString()
}
