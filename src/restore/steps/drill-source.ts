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
