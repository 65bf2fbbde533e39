import { existsSync } from 'node:fs'
import { InputError } from '../../errors.js'
import type { RecoveryCluster } from '../recovery-cluster.js'
import type { DrillCheck, RecoveryTarget } from '../types.js'
import type { BackupLabel } from '../backup-label.js'

export interface SourcePreflight {
  checks: DrillCheck[]
  label?: BackupLabel
  /** Bytes the restore will write (for disk and MB/s figures). */
  backupBytes: number
  lastCommitTime?: string
  /** Where the backup came from, for the report. */
  backupTime?: string
}

/** One way to get a backup into the drill's data directory: a base backup folder, or a pgBackRest repository. */
export interface DrillSource {
  location: string
  preflight(target: RecoveryTarget, workDir: string): Promise<SourcePreflight>
  fetch(cluster: RecoveryCluster, target: RecoveryTarget, signal?: AbortSignal): Promise<void>
  /** Recovery settings to add (quoted), and those the fetch step already wrote and must survive. */
  recoverySettings(target: RecoveryTarget): { settings: Record<string, string>; preserve: string[] }
}

/**
 * A backup tool's configuration file given by path must exist: the tool would say so too, but later and
 * as its own failure, where a missing file is the input's (exit 2, naming it).
 */
export function requireConfigFile(tool: 'pgbackrest' | 'barman', path: string | undefined): void {
  if (path !== undefined && !existsSync(path))
    throw new InputError('KDB_DRILL_NO_CONFIG', `the ${tool} configuration file ${path} does not exist`, { file: path, hint: `Pass the path of its ${tool}.conf (--${tool}-config).` })
}
