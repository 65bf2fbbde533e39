/**
 * WAL segment names: TTTTTTTTXXXXXXXXYYYYYYYY (timeline, log, segment), with the default 16 MB
 * segment size there are 256 segments per log id. See access/xlog_internal.h.
 */
export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024

export interface SegmentId {
  timeline: number
  /** Segment number counted from LSN 0. */
  segno: bigint
}

const SEGMENT_RE = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/

export function isSegmentName(name: string): boolean {
  return SEGMENT_RE.test(name)
}

export function parseLsn(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim())
  if (!m) throw new Error(`not an LSN: ${lsn}`)
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)
}

export function formatLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`
}

export function parseSegmentName(name: string, segmentBytes = DEFAULT_SEGMENT_BYTES): SegmentId {
  const m = SEGMENT_RE.exec(name)
  if (!m) throw new Error(`not a WAL segment name: ${name}`)
  const perLog = 0x100000000n / BigInt(segmentBytes)
  return { timeline: parseInt(m[1], 16), segno: BigInt(`0x${m[2]}`) * perLog + BigInt(`0x${m[3]}`) }
}

export function segmentName(id: SegmentId, segmentBytes = DEFAULT_SEGMENT_BYTES): string {
  const perLog = 0x100000000n / BigInt(segmentBytes)
  const hex = (n: bigint | number) => n.toString(16).toUpperCase().padStart(8, '0')
  return `${hex(id.timeline)}${hex(id.segno / perLog)}${hex(id.segno % perLog)}`
}

export function segmentForLsn(lsn: bigint, timeline: number, segmentBytes = DEFAULT_SEGMENT_BYTES): string {
  return segmentName({ timeline, segno: lsn / BigInt(segmentBytes) }, segmentBytes)
}

/** First LSN after the segment's end. */
export function segmentEndLsn(name: string, segmentBytes = DEFAULT_SEGMENT_BYTES): bigint {
  return (parseSegmentName(name, segmentBytes).segno + 1n) * BigInt(segmentBytes)
}
