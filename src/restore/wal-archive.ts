import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { isSegmentName, parseSegmentName, segmentName } from './wal-segments.js'

/**
 * Compressions an archive_command commonly writes (`gzip < %p > /archive/%f.gz`), by file suffix, with
 * the command that writes the original to standard output.
 */
export const WAL_COMPRESSIONS: Record<string, string> = { gz: 'gzip -dc', zst: 'zstd -dcq', lz4: 'lz4 -dcq', bz2: 'bzip2 -dc', xz: 'xz -dc' }
const NAME_RE = new RegExp(`^(.+?)(?:\\.(${Object.keys(WAL_COMPRESSIONS).join('|')}))?$`)

export interface WalArchiveListing {
  /** Segment names, sorted. Partial and temporary files are left out. */
  segments: string[]
  /** Timeline history files (00000002.history). */
  histories: string[]
  /**
   * The file (relative to the archive folder) holding each segment or history file that is not stored
   * under its own name: compressed (`<name>.gz`), or in a repository's layout (pgBackRest's
   * `<16 hex>/<name>-<sha1>.gz`).
   */
  files: Map<string, string>
  /** The compression suffixes the archive holds (gz, zst, ...), sorted. */
  compressions: string[]
}

/** What a WAL archive folder holds; a file and its compressed twin count once, as the plain one. */
export function listWalArchive(archiveDir: string): WalArchiveListing {
  const plain = new Set<string>()
  const compressed = new Map<string, string>()
  for (const file of readdirSync(archiveDir)) {
    const [, name, suffix] = NAME_RE.exec(file) ?? []
    if (!name || !(isSegmentName(name) || /^[0-9A-F]{8}\.history$/.test(name))) continue
    if (suffix) compressed.set(name, file)
    else plain.add(name)
  }
  for (const name of plain) compressed.delete(name)
  const names = [...plain, ...compressed.keys()]
  return {
    segments: names.filter(isSegmentName).sort(),
    histories: names.filter((n) => n.endsWith('.history')).sort(),
    files: compressed,
    compressions: [...new Set([...compressed.values()].map((f) => f.slice(f.lastIndexOf('.') + 1)))].sort(),
  }
}

/**
 * The segments of an archive kept in one folder per 16 hex digits of segment name (`<dir>/<first 16
 * hex>/<file>`, as pgBackRest's repository and Barman's `wals_directory` keep them), with the file
 * holding each (relative to `dir`); `segmentOf` says which segment a file holds, if any.
 */
export function listSegmentFolders(dir: string, segmentOf: (file: string) => string | undefined): { segments: string[]; files: Map<string, string> } {
  const files = new Map<string, string>()
  for (const sub of readdirSync(dir)) {
    if (!/^[0-9A-F]{16}$/.test(sub)) continue
    for (const file of readdirSync(join(dir, sub))) {
      const segment = segmentOf(file)
      if (segment !== undefined) files.set(segment, join(sub, file))
    }
  }
  return { segments: [...files.keys()].sort(), files }
}

export interface ContinuityResult {
  ok: boolean
  /** The first segment recovery would need and cannot find. */
  missing?: string
  /** Last segment of the continuous run from the start. */
  last?: string
  /** How many segments the continuous run holds. */
  count: number
}

/**
 * Whether every segment from `start` to `end` (default: the highest archived on that timeline) is in the
 * archive. Postgres recovering to "latest" stops at the first hole and promotes as if the archive ended
 * there, so a hole must fail the drill before any restore.
 */
export function checkContinuity(segments: string[], start: string, end?: string): ContinuityResult {
  const { timeline, segno: first } = parseSegmentName(start)
  const onTimeline = new Set(segments.filter((s) => parseSegmentName(s).timeline === timeline))
  let lastSegno = first
  for (const s of onTimeline) lastSegno = parseSegmentName(s).segno > lastSegno ? parseSegmentName(s).segno : lastSegno
  const stop = end ? parseSegmentName(end).segno : lastSegno
  let last: string | undefined
  let count = 0
  for (let segno = first; segno <= stop; segno++) {
    const name = segmentName({ timeline, segno })
    if (!onTimeline.has(name)) return { ok: false, missing: name, last, count }
    last = name
    count++
  }
  return { ok: true, last, count }
}
