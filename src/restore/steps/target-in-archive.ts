import { InputError } from '../../errors.js'
import type { BackupLabel } from '../backup-label.js'
import type { DrillCheck, RecoveryTarget } from '../types.js'
import { findArchiveEnd, findTargetRecord, type SegmentStore } from '../wal-dump.js'
import { checkContinuity } from '../wal-archive.js'
import { parseLsn, segmentEndLsn, segmentForLsn } from '../wal-segments.js'

/**
 * Whether recovery can reach the target with the archive as it is, from the segments after the backup's
 * start up to `last` (the end of the continuous run): an LSN inside it; a time before its last commit
 * (recorded in `facts` for the RPO) and not before the backup; a restore point or a transaction's end
 * found in it. Postgres would find out only at the end of the archive, after replaying all of it.
 */
export async function targetInArchive(target: RecoveryTarget, label: BackupLabel, last: string, segments: string[], store: SegmentStore,
  pgWaldump: string, facts: { lastCommitTime?: string }): Promise<DrillCheck> {
  const name = 'target within archive'
  const continuous = segments.slice(segments.indexOf(label.startSegment), segments.indexOf(last) + 1)
  if (target.type === 'lsn') {
    const lsn = parseLsn(target.value)
    if (lsn < parseLsn(label.startLsn)) return { name, ok: false, detail: `target LSN ${target.value} is before the backup started (${label.startLsn})` }
    return lsn < segmentEndLsn(last)
      ? { name, ok: true, detail: `target LSN ${target.value} is inside the archive (ends in ${last})` }
      : { name, ok: false, detail: `target LSN ${target.value} is beyond the end of the archive (last segment ${last})` }
  }
  const dumped = new Map<string, string>()
  const archiveEnd = await findArchiveEnd(pgWaldump, store, continuous.slice(-3), dumped)
  facts.lastCommitTime = archiveEnd.lastCommitTime
  if (target.type === 'name' || target.type === 'xid') {
    // Postgres would find out only at the end of the archive, after replaying all of it.
    const found = await findTargetRecord(pgWaldump, store, continuous, target, parseLsn(label.startLsn), dumped)
    if (target.type === 'name')
      return found
        ? { name, ok: true, detail: `restore point '${target.value}' is in the archive (at ${found.lsn}, in ${found.segment})` }
        : { name, ok: false, detail: `restore point '${target.value}' is not in the archive after the backup started (searched ${label.startSegment} to ${last}): recovery would replay all of it and fail; check the name, or use an older backup` }
    return found
      ? { name, ok: true, detail: `transaction ${target.value} ends in the archive (${found.record.split(' ')[0]} at ${found.lsn}, in ${found.segment})` }
      : { name, ok: false, detail: `transaction ${target.value} does not commit or abort in the archive after the backup started (searched ${label.startSegment} to ${last}): recovery would replay all of it and fail; check the xid, or use an older backup` }
  }
  if (target.type !== 'time')
    return { name, ok: true, detail: archiveEnd.lastCommitTime ? `last archived commit at ${archiveEnd.lastCommitTime}` : `archive ends in ${last}` }
  const wanted = Date.parse(target.value)
  if (Number.isNaN(wanted)) throw new InputError('KDB_DRILL_BAD_TARGET', `target time "${target.value}" is not a timestamp`, { hint: 'Use ISO 8601 with a zone, e.g. 2026-11-25T22:30:00Z.' })
  const utc = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) (UTC|GMT)$/.exec(label.startTime ?? '')
  const started = utc ? Date.parse(`${utc[1]}T${utc[2]}Z`) : NaN
  if (!Number.isNaN(started) && wanted < started)
    return { name, ok: false, detail: `target ${target.value} is before the backup started (${label.startTime}); use an older backup` }
  if (!archiveEnd.lastCommitTime) return { name, ok: true, detail: `no commit found in the last segments up to ${last}; Postgres will check the target` }
  return wanted <= Date.parse(archiveEnd.lastCommitTime)
    ? { name, ok: true, detail: `target ${target.value} is before the last archived commit (${archiveEnd.lastCommitTime})` }
    : { name, ok: false, detail: `target ${target.value} is beyond the end of the archive: the last archived commit is at ${archiveEnd.lastCommitTime} (in ${archiveEnd.segment})` }
}

/**
 * The checks of a backup tool's archive that is readable here (pgBackRest's repository, Barman's
 * catalogue): continuous from the backup's first segment (to an LSN target, or to the newest), then the
 * target within it. `within` and `archive` name it in the details ("in the repository", "the
 * pgBackRest archive <dir>").
 */
export async function toolArchiveChecks(target: RecoveryTarget, label: BackupLabel, segments: string[], store: SegmentStore, pgWaldump: string,
  facts: { lastCommitTime?: string }, names: { within: string; archive: string }): Promise<DrillCheck[]> {
  const end = target.type === 'lsn' ? segmentForLsn(parseLsn(target.value), label.timeline) : undefined
  const cont = checkContinuity(segments, label.startSegment, end)
  const checks: DrillCheck[] = [cont.ok
    ? { name: 'WAL archive continuity', ok: true, detail: `${cont.count} segments from ${label.startSegment} to ${cont.last} ${names.within}, no gap` }
    : { name: 'WAL archive continuity', ok: false, detail: `segment ${cont.missing} is missing from ${names.archive} (continuous only up to ${cont.last ?? 'nothing'})` }]
  if (cont.last) checks.push(await targetInArchive(target, label, cont.last, segments, store, pgWaldump, facts))
  return checks
}
