import { resolve } from 'node:path'
import { UsageError } from '../errors.js'
import { readReference } from './load-drill-file.js'
import type { BackupSource, DrillOptions, RecoveryTarget } from './types.js'

/**
 * The drill's options in the flat form of its CLI flags (`--backup-dir` ↔ `backupDir`): each is a
 * shorthand for a part of the structured options (source, target, markers, targets…). When both are
 * given, the flat one wins.
 */
export interface DrillFlagOptions {
  /** Base backup folder: `source: { kind: 'base-backup', backupDir }`. */
  backupDir?: string
  /** WAL archive folder of the base backup. */
  archiveDir?: string
  /** Overrides the default `cp "<archiveDir>/%f" "%p"`. */
  restoreCommand?: string
  /** pgBackRest stanza: `source: { kind: 'pgbackrest', stanza }`. */
  stanza?: string
  /** pgbackrest.conf of the repository. */
  pgbackrestConfig?: string
  /** pgBackRest backup set label; default the latest. */
  set?: string
  /** Barman server name: `source: { kind: 'barman', server }`. */
  barmanServer?: string
  /** barman.conf of the catalogue. */
  barmanConfig?: string
  /** Barman backup id; default the latest. */
  backupId?: string
  /** Recovery target: one of these. */
  targetTime?: string
  targetLsn?: string
  targetXid?: string
  targetName?: string
  targetImmediate?: boolean
  targetLatest?: boolean
  /** Stop just before the time/LSN/xid target instead of just after it. */
  targetExclusive?: boolean
  /** Queries whose rows must exist (present) or must not (absent) at the target. */
  markerPresent?: string[]
  markerAbsent?: string[]
  /** Queries whose first column must be true. */
  assert?: string[]
  /** Skip amcheck after promotion (not for the corruption scenario). */
  noAmcheck?: boolean
  /** RTO and RPO targets in seconds: `targets.rtoSeconds` / `targets.rpoSeconds`. */
  rtoTarget?: number
  rpoTarget?: number
  /** The drill history file (JSON lines): `historyFile`. */
  history?: string
  /** Give up after this many seconds: `timeoutSeconds`. */
  timeout?: number
}

const source = (o: DrillOptions) => o.source
const target = (o: DrillOptions) => o.target
const addsUp = () => undefined
/** The structured option each flat one fills (markers and assertions add up: nothing to override). */
const FILLS: Record<keyof DrillFlagOptions, (o: DrillOptions) => unknown> = {
  backupDir: source, archiveDir: source, restoreCommand: source, stanza: source, pgbackrestConfig: source, set: source,
  barmanServer: source, barmanConfig: source, backupId: source,
  targetTime: target, targetLsn: target, targetXid: target, targetName: target, targetImmediate: target, targetLatest: target, targetExclusive: target,
  markerPresent: addsUp, markerAbsent: addsUp, assert: addsUp,
  noAmcheck: (o) => o.amcheck, rtoTarget: (o) => o.targets?.rtoSeconds, rpoTarget: (o) => o.targets?.rpoSeconds, history: (o) => o.historyFile, timeout: (o) => o.timeoutSeconds,
}
const FLAT_KEYS = Object.keys(FILLS) as (keyof DrillFlagOptions)[]

/** Do structured options (a drill file) already set what the option `name` (flat or not) sets? */
export function structuredSets(options: Partial<DrillOptions>, name: string): boolean {
  const fills = FILLS[name as keyof DrillFlagOptions]
  return (fills ? fills(options as DrillOptions) : (options as Record<string, unknown>)[name]) !== undefined
}

/** Do the options name a backup, structured or through a flat source option? */
export function givesSource(options: DrillOptions): boolean {
  return Boolean(options.source) || FLAT_KEYS.some((key) => FILLS[key] === source && Boolean(options[key]))
}

function flatTarget(o: DrillFlagOptions): RecoveryTarget | undefined {
  const inclusive = o.targetExclusive ? false : undefined
  const given: RecoveryTarget[] = []
  if (o.targetTime) given.push({ type: 'time', value: o.targetTime, inclusive })
  if (o.targetLsn) given.push({ type: 'lsn', value: o.targetLsn, inclusive })
  if (o.targetXid) given.push({ type: 'xid', value: String(o.targetXid), inclusive })
  if (o.targetName) given.push({ type: 'name', value: o.targetName })
  if (o.targetImmediate) given.push({ type: 'immediate' })
  if (o.targetLatest) given.push({ type: 'latest' })
  if (given.length > 1)
    throw new UsageError('KDB_DRILL_OPTIONS', 'give one recovery target, not several', { hint: 'Use one of --target-time, --target-lsn, --target-xid, --target-name, --target-immediate, --target-latest.' })
  return given[0]
}

/** Flat source fields fold into a structured source of the same kind: `archiveDir` alone swaps just the archive. */
function flatSource(o: DrillOptions): BackupSource | undefined {
  const base = o.source?.kind === 'base-backup' ? o.source : undefined
  if (o.backupDir || o.archiveDir || o.restoreCommand)
    return { kind: 'base-backup', backupDir: o.backupDir ?? base?.backupDir ?? '', archiveDir: o.archiveDir ?? base?.archiveDir ?? '', restoreCommand: o.restoreCommand ?? base?.restoreCommand }
  const repo = o.source?.kind === 'pgbackrest' ? o.source : undefined
  if (o.stanza || o.pgbackrestConfig || o.set) return { kind: 'pgbackrest', stanza: o.stanza ?? repo?.stanza ?? '', config: o.pgbackrestConfig ?? repo?.config, set: o.set ?? repo?.set }
  const catalogue = o.source?.kind === 'barman' ? o.source : undefined
  if (o.barmanServer || o.barmanConfig || o.backupId)
    return { kind: 'barman', server: o.barmanServer ?? catalogue?.server ?? '', config: o.barmanConfig ?? catalogue?.config, backupId: o.backupId ?? catalogue?.backupId }
  return undefined
}

/** The structured options: flat shorthands folded in (they win) and removed, so expanding twice changes nothing. */
export function expandDrillFlags(options: DrillOptions): DrillOptions {
  const o = options
  const out: DrillOptions = {
    ...o,
    source: flatSource(o) ?? o.source,
    target: flatTarget(o) ?? o.target,
    markers: [
      ...(o.markers ?? []),
      ...(o.markerPresent ?? []).map((sql) => ({ sql, expect: 'present' as const })),
      ...(o.markerAbsent ?? []).map((sql) => ({ sql, expect: 'absent' as const })),
    ],
    assertions: [...(o.assertions ?? []), ...(o.assert ?? []).map((sql) => ({ sql }))],
    amcheck: o.noAmcheck ? false : o.amcheck,
    targets: { rtoSeconds: o.rtoTarget ?? o.targets?.rtoSeconds, rpoSeconds: o.rpoTarget ?? o.targets?.rpoSeconds },
    historyFile: o.history ?? o.historyFile,
    timeoutSeconds: o.timeout ?? o.timeoutSeconds,
    reference: typeof o.reference === 'string' ? readReference(resolve(o.reference)) : o.reference,
  }
  for (const key of FLAT_KEYS) delete out[key]
  return out
}
