import { ConfigProblem } from '../config/config-key.js'
import { DRILL_FLAGS } from '../config/flags/drill-flags.js'
import { UsageError } from '../errors.js'
import { expandDrillFlags } from './drill-flag-options.js'
import type { BackupSource, DrillOptions, DrillScenario, RecoveryTarget, TableReference } from './types.js'

export const SCENARIOS: DrillScenario[] = ['accidental-deletion', 'corruption', 'full-loss']
const TARGET_TYPES = ['time', 'lsn', 'xid', 'name', 'immediate', 'latest'] as const

export type NormalizedDrillOptions = DrillOptions & {
  source: BackupSource
  reference?: TableReference
  target: RecoveryTarget
  scenario: DrillScenario
  markers: NonNullable<DrillOptions['markers']>
  assertions: NonNullable<DrillOptions['assertions']>
  database: string
  amcheck: boolean
  targets: { rtoSeconds: number; rpoSeconds: number }
  timeoutSeconds: number
}

const bad = (message: string, hint: string) => new UsageError('KDB_DRILL_OPTIONS', message, { hint })

/**
 * Fills defaults per scenario: accidental deletion restores to a target before the deletion (a target is
 * required); corruption and full loss restore the latest state, corruption always with amcheck.
 */
export function normalizeDrillOptions(input: DrillOptions): NormalizedDrillOptions {
  const options = expandDrillFlags(input)
  if (!options.source || !['base-backup', 'pgbackrest', 'barman'].includes(options.source.kind))
    throw bad('the drill has no source', 'Give source.kind base-backup (backupDir, archiveDir), pgbackrest (stanza) or barman (server).')
  if (options.source.kind === 'base-backup' && (!options.source.backupDir || !options.source.archiveDir))
    throw bad('a base-backup source needs backupDir and archiveDir', 'Pass --backup-dir and --archive-dir.')
  if (options.source.kind === 'pgbackrest' && !options.source.stanza)
    throw bad('a pgbackrest source needs a stanza', 'Pass --stanza.')
  if (options.source.kind === 'barman' && !options.source.server)
    throw bad('a barman source needs a server', 'Pass --barman-server.')
  const scenario = options.scenario ?? (options.target && options.target.type !== 'latest' ? 'accidental-deletion' : 'full-loss')
  if (!SCENARIOS.includes(scenario)) throw bad(`unknown scenario "${scenario}"`, `Use one of: ${SCENARIOS.join(', ')}.`)
  const given = options.target && 'value' in options.target ? { ...options.target, value: String(options.target.value) } : options.target
  const target = given ?? (scenario === 'accidental-deletion' ? undefined : { type: 'latest' as const })
  if (!target) throw bad('an accidental-deletion drill needs a target before the deletion', 'Pass --target-time (or --target-lsn, --target-xid, --target-name).')
  if (!TARGET_TYPES.includes(target.type)) throw bad(`unknown target type "${target.type}"`, `Use one of: ${TARGET_TYPES.join(', ')}.`)
  if ('value' in target && !target.value) throw bad(`target ${target.type} has no value`, 'Give the time, LSN, xid or restore point name.')
  if (target.type === 'time' && Number.isNaN(Date.parse(target.value)))
    throw bad(`target time "${target.value}" is not a timestamp`, 'Use ISO 8601 with a zone, e.g. 2026-11-25T22:30:00Z.')
  if (target.type === 'lsn' && !/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(target.value))
    throw bad(`target LSN "${target.value}" is not an LSN`, 'Use the form 0/3000148.')
  if (target.type === 'xid' && !/^\d+$/.test(target.value)) throw bad(`target xid "${target.value}" is not a number`, 'Use a transaction id such as 748.')
  for (const m of options.markers ?? [])
    if (!m.sql || !['present', 'absent'].includes(m.expect)) throw bad(`marker ${m.name ?? m.sql ?? '?'} needs sql and expect present|absent`, 'See docs/restore.md, "Drill file".')
  return {
    ...options,
    source: options.source,
    reference: options.reference as TableReference | undefined,
    scenario,
    target,
    markers: options.markers ?? [],
    assertions: options.assertions ?? [],
    database: options.database ?? 'postgres',
    amcheck: scenario === 'corruption' ? true : options.amcheck ?? true,
    targets: {
      rtoSeconds: seconds(options.targets?.rtoSeconds, 'rto-target', 'the RTO target') ?? 1800,
      rpoSeconds: seconds(options.targets?.rpoSeconds, 'rpo-target', 'the RPO target') ?? 300,
    },
    timeoutSeconds: seconds(options.timeoutSeconds, 'timeout', 'timeoutSeconds') ?? 3600,
  }
}

/** A drill file or API caller is held to the check the flag (and config key) of the same option makes. */
function seconds(value: number | undefined, flag: 'rto-target' | 'rpo-target' | 'timeout', what: string): number | undefined {
  if (value === undefined) return undefined
  try {
    return DRILL_FLAGS.flags[flag].key.parse(value, what)
  } catch (error) {
    if (error instanceof ConfigProblem) throw bad(`${what}: ${error.message}`, `Give ${error.allowed}.`)
    throw error
  }
}
