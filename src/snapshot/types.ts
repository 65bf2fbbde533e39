import type { ProviderName } from '../postgres/provider.js'
import type { Expectation } from './expectations.js'

/** Options of `verify()`; every option is a `koinonia-db verify` flag of the same name (kebab-case). */
export interface VerifyOptions {
  /** Project folder. Default: the current directory. */
  cwd?: string
  /** Migrations folder, when discovery should not look for it. */
  migrationsDir?: string
  prismaVersion?: string
  /** Postgres provider. Default: embedded when available, else system. */
  provider?: ProviderName
  /** Production Postgres major version. Default 15. */
  pgVersion?: number
  /** Docker image for the testcontainers provider. */
  image?: string
  /** Server for the url provider (scratch databases are created and dropped there). */
  url?: string
  /** A pg_dump file/folder or a postgres:// URL of a live database (dumped read-only). Default: synthetic. */
  snapshot?: string
  /** Synthetic snapshot: rows per table (default 1000) and PRNG seed (default 1). */
  rows?: number
  seed?: number
  /**
   * Synthetic snapshot: how many of the project's migrations count as already applied in production
   * (a count, or the name of the last applied one). Default: `scenario.json`'s `applied` when the
   * project has one, else all but the last migration.
   */
  applied?: string
  /** Run a canary reader and writer during the replay and report how long they were blocked. */
  load?: boolean
  /** A rewrite of a pre-existing table with at least this many rows fails the gate unless declared. Default 10000. */
  maxRewriteRows?: number
  /** A statement holding a write-blocking lock this long (ms) on a non-empty table is observed risky. Default 1000. */
  slowMs?: number
  /** Skip the rollback proof. */
  noRollback?: boolean
  /** Parallel pg_restore jobs. Default: number of cores. */
  jobs?: number
  signal?: AbortSignal
  /** Progress messages (the CLI shows them on stderr when it is a TTY). */
  onProgress?: (message: string) => void
}

export type Verdict = 'pass' | 'fail'

export interface StatementResult {
  index: number
  line: number
  text: string
  durationMs: number | null
  /** Table locks this statement's backend held, e.g. `AccessExclusiveLock on "Contact"`. */
  locks: string[]
  /**
   * 'transaction': read in the open transaction (exact); 'event-trigger': reported from inside the
   * statement by a ddl_command_end event trigger (exact, DDL); 'sampled': polled from a second session
   * (a statement faster than the poll shows none).
   */
  lockSource: 'transaction' | 'event-trigger' | 'sampled' | null
  rewrote: string[]
  rewroteIndexes: string[]
  scanned: string[]
  /** The linter's verdict, lock and rewrite for this statement. */
  predicted: 'safe' | 'risky' | null
  predictedLock: string | null
  predictedRewrite: boolean | null
  observed: 'safe' | 'risky' | null
  /** Where observation and prediction disagree, one sentence each. */
  disagreements: string[]
}

export interface MigrationError {
  message: string
  statementIndex: number | null
  statement: string | null
  line: number | null
  position: number | null
  code: string | null
}

export interface MigrationResult {
  name: string
  path: string
  status: 'applied' | 'failed' | 'skipped'
  durationMs: number | null
  error: MigrationError | null
  expectations: Expectation[]
  statements: StatementResult[]
}

export interface TableResult {
  name: string
  rowsBefore: number
  rowsAfter: number | null
  fingerprintMatch: boolean
  status: 'unchanged' | 'changed' | 'expected' | 'dropped' | 'renamed' | 'new'
  /** Surviving columns whose values changed. */
  changedColumns: string[]
  droppedColumns: string[]
  renamedTo: string | null
}

export interface DataLoss {
  table: string
  /** null: whole rows (a dropped table, deleted rows). */
  column: string | null
  /** Non-null values (or rows) lost. */
  values: number
  /** The migration that dropped it, when known. */
  migration: string | null
  /** Declared with a koinonia-db-expect comment: reported, does not fail the gate. */
  declared: boolean
}

export interface RollbackResult {
  ran: boolean
  schemaMatches: boolean | null
  dataMatches: boolean | null
  /** Why it did not run (nothing applied, --no-rollback, a migration without a down script). */
  skippedReason: string | null
  migrations: Array<{ name: string; source: 'down.sql' | 'generated' | 'none'; status: 'applied' | 'failed' | 'skipped'; error: string | null }>
  schemaDifferences: string[]
  dataDifferences: string[]
}

export interface VerifyResult {
  version: 1
  verdict: Verdict
  /** Why the gate failed, one sentence each; empty when it passed. */
  reasons: string[]
  provider: ProviderName
  pgVersion: string
  project: { kind: 'prisma' | 'sql'; root: string; migrationsDir: string; prismaVersion: string | null; mode: string }
  snapshot: {
    kind: 'dump' | 'url' | 'synthetic'
    source: string | null
    format: string | null
    rows: number | null
    seed: number | null
    /** Time to restore / dump / generate the snapshot into the template database. */
    loadMs: number
    /** Time to clone the template for this run (CREATE DATABASE ... TEMPLATE). */
    cloneMs: number
  }
  lint: { statements: number; risky: number }
  migrations: MigrationResult[]
  tables: TableResult[]
  dataLoss: DataLoss[]
  load: { maxReadBlockedMs: number; maxWriteBlockedMs: number; readBlockedMs: Record<string, number>; writeBlockedMs: Record<string, number>; reads: number; writes: number } | null
  rollback: RollbackResult
  timings: Record<'provisionMs' | 'snapshotMs' | 'cloneMs' | 'baselineMs' | 'replayMs' | 'verifyMs' | 'rollbackMs' | 'totalMs', number>
}
