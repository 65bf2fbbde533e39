import type { DrillResult } from '../types.js'
import { describeTarget } from '../steps/recovery-settings.js'

export const seconds = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`)

export function sourceLine(r: DrillResult): string {
  const at = r.source.startLsn ? ` (starts ${r.source.startLsn}, timeline ${r.source.timeline})` : ''
  return `${r.source.kind} ${r.source.location}${at}`
}

export function recoveryLine(r: DrillResult): string {
  const parts = [r.recovery.promoted ? 'promoted' : 'not promoted']
  if (r.recovery.lastReplayLsn) parts.push(`replayed to ${r.recovery.lastReplayLsn}`)
  if (r.recovery.lastReplayTime) parts.push(`last commit ${r.recovery.lastReplayTime}`)
  if (r.recovery.walReplayedMB !== undefined) parts.push(`${r.recovery.walReplayedMB} MB WAL${r.recovery.walReplayMBps ? ` at ${r.recovery.walReplayMBps} MB/s` : ''}`)
  return parts.join(', ')
}

export { describeTarget }
