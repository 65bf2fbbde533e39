import { readdirSync } from 'node:fs'
import { isSegmentName, parseSegmentName, segmentName } from './wal-segments.js'

export interface WalArchiveListing {
  /** Segment names, sorted. Partial and temporary files are left out. */
  segments: string[]
  /** Timeline history files (00000002.history). */
  histories: string[]
}

/** What a WAL archive folder holds. */
export function listWalArchive(archiveDir: string): WalArchiveListing {
  const names = readdirSync(archiveDir)
  return {
    segments: names.filter(isSegmentName).sort(),
    histories: names.filter((n) => /^[0-9A-F]{8}\.history$/.test(n)).sort(),
  }
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
