import { quoteLiteral } from '../../postgres/sql.js'
import type { RecoveryTarget } from '../types.js'
import { WAL_COMPRESSIONS } from '../wal-archive.js'

/**
 * postgresql.conf settings for a target. Every target pauses (recovery_target_action=pause) so checks
 * run before promotion; `latest` has no target, so Postgres promotes at the end of the archive.
 */
export function targetSettings(target: RecoveryTarget): Record<string, string> {
  const inclusive = (t: { inclusive?: boolean }) => ({ recovery_target_inclusive: t.inclusive === false ? 'off' : 'on' })
  const pause = { recovery_target_action: "'pause'", recovery_target_timeline: "'latest'" }
  switch (target.type) {
    case 'time': return { recovery_target_time: quoteLiteral(pgTimestamp(target.value)), ...inclusive(target), ...pause }
    case 'lsn': return { recovery_target_lsn: quoteLiteral(target.value), ...inclusive(target), ...pause }
    case 'xid': return { recovery_target_xid: quoteLiteral(target.value), ...inclusive(target), ...pause }
    case 'name': return { recovery_target_name: quoteLiteral(target.value), ...pause }
    case 'immediate': return { recovery_target: "'immediate'", ...pause }
    case 'latest': return { recovery_target_timeline: "'latest'" }
  }
}

/**
 * What a restore tool (`pgbackrest restore`, `barman recover`) writes into the copy's
 * postgresql.auto.conf for the target: kept when the drill configures the copy.
 */
export const TOOL_RECOVERY_SETTINGS = ['restore_command', 'recovery_target', 'recovery_target_lsn', 'recovery_target_name',
  'recovery_target_time', 'recovery_target_xid', 'recovery_target_inclusive', 'recovery_target_timeline', 'recovery_target_action']

/**
 * `cp "<archive>/%f" "%p"`: the archive is only read, never written, by the restored copy. An archive
 * holding compressed files (`compressions`, as listWalArchive found them) gets a command that takes the
 * plain file when there is one, else decompresses the compressed one, else fails as cp would.
 */
export function defaultRestoreCommand(archiveDir: string, compressions: string[] = []): string {
  if (compressions.length === 0) return `cp "${archiveDir}/%f" "%p"`
  const branches = compressions.map((ext) => `elif [ -f "${archiveDir}/%f.${ext}" ]; then ${WAL_COMPRESSIONS[ext]} "${archiveDir}/%f.${ext}" > "%p"; `)
  return `if [ -f "${archiveDir}/%f" ]; then cp "${archiveDir}/%f" "%p"; ${branches.join('')}else exit 1; fi`
}

export function describeTarget(target: RecoveryTarget): string {
  return target.type === 'latest' || target.type === 'immediate' ? target.type : `${target.type} ${target.value}`
}

/**
 * `2026-11-25 22:30:00.123+00`: recovery_target_time's check hook rejects ISO 8601 with `T` and `Z`
 * (and pgBackRest's --target wants the same shape).
 */
export function pgTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '+00')
}
