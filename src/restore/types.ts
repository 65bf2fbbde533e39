import type { DrillFlagOptions } from './drill-flag-options.js'

/** What a drill restores to. `latest` replays the whole archive and promotes at its end. */
export type RecoveryTarget =
  | { type: 'time'; value: string; inclusive?: boolean }
  | { type: 'lsn'; value: string; inclusive?: boolean }
  | { type: 'xid'; value: string; inclusive?: boolean }
  | { type: 'name'; value: string }
  | { type: 'immediate' }
  | { type: 'latest' }

/** Where the drill restores from. */
export type BackupSource =
  | {
      kind: 'base-backup'
      /** A plain base backup folder (pg_basebackup -Fp or the low-level API), or a folder holding base.tar(.gz). */
      backupDir: string
      /** WAL archive folder filled by archive_command. */
      archiveDir: string
      /** Overrides the default `cp "<archiveDir>/%f" "%p"`. */
      restoreCommand?: string
    }
  | {
      kind: 'pgbackrest'
      stanza: string
      /** pgbackrest.conf of the repository (passed as --config). */
      config?: string
      /** A backup set label; default the latest. */
      set?: string
    }
  | {
      kind: 'barman'
      /** The server's name in Barman's configuration. */
      server: string
      /** barman.conf of the catalogue (passed as -c); default Barman's own lookup (/etc/barman.conf). */
      config?: string
      /** A backup id (`barman list-backups`); default the latest, or for a time target the newest that ended before it. */
      backupId?: string
    }

/** The runbook scenarios. */
export type DrillScenario = 'accidental-deletion' | 'corruption' | 'full-loss'

/** A query whose rows must exist (`present`) or must not (`absent`) in the restored cluster. */
export interface MarkerCheck {
  name?: string
  sql: string
  expect: 'present' | 'absent'
  database?: string
}

/** A query whose first column of its first row must be `true`. */
export interface SqlAssertion {
  name?: string
  sql: string
  database?: string
}

/** Row count and content fingerprint of each table, taken on the source at the target (see captureReference). */
export interface TableReference {
  database: string
  tables: Record<string, { rows: number; fingerprint?: string }>
}

/** Options of runDrill: structured, or flat as the `koinonia-db drill` flags (see DrillFlagOptions; flat wins). */
export interface DrillOptions extends DrillFlagOptions {
  /** Required, unless given flat (backupDir + archiveDir, or stanza). */
  source?: BackupSource
  target?: RecoveryTarget
  scenario?: DrillScenario
  /** Postgres major of the backup; default 15 (system binaries). Or give `bindir`. */
  pgMajor?: number
  bindir?: string
  markers?: MarkerCheck[]
  assertions?: SqlAssertion[]
  /** A reference, or the path of a JSON file from captureReference. */
  reference?: TableReference | string
  /** Database for checks without their own. Default `postgres`. */
  database?: string
  /** Run amcheck on every btree index after promotion. Default true. */
  amcheck?: boolean
  /** When the failure happened, for the realized RPO. Default: the target time, else the drill start. */
  failureTime?: string
  targets?: { rtoSeconds?: number; rpoSeconds?: number }
  /** Where the restored cluster lives; default a fresh temp folder. */
  workDir?: string
  port?: number
  /** Keep the promoted cluster running and return it (a physical snapshot for the snapshot harness). */
  keep?: boolean
  /** Append the result as one JSON line. */
  historyFile?: string
  /** Extra postgresql.conf settings for the restored cluster. */
  settings?: Record<string, string>
  timeoutSeconds?: number
  onProgress?: (message: string) => void
  signal?: AbortSignal
}

export interface DrillPhase {
  name: 'preflight' | 'fetch' | 'startup' | 'redo' | 'checks' | 'promote' | 'checkpoint' | 'verify'
  ms: number
  detail?: string
}

export interface DrillCheck {
  name: string
  ok: boolean
  detail: string
}

export interface KeptCluster {
  url: string
  port: number
  dataDir: string
  /** Stops the server and removes its folder. */
  stop(): Promise<void>
}

export interface DrillResult {
  version: 1
  drillId: string
  scenario: DrillScenario
  verdict: 'pass' | 'fail'
  /** Why the drill failed, in one sentence. */
  reason?: string
  startedAt: string
  finishedAt: string
  source: { kind: BackupSource['kind']; location: string; startLsn?: string; startSegment?: string; timeline?: number; backupTime?: string }
  target: RecoveryTarget
  recovery: {
    promoted: boolean
    lastReplayLsn?: string
    lastReplayTime?: string
    walReplayedMB?: number
    walReplayMBps?: number
    stopReason?: string
  }
  rtoSeconds: number
  rpoSeconds: number
  targets: { rtoSeconds: number; rpoSeconds: number }
  phases: DrillPhase[]
  checks: DrillCheck[]
  /** Present when `keep` was set and the drill passed. Not serialized. */
  kept?: KeptCluster
}
