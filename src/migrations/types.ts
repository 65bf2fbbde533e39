import type { PrismaMode } from '../linter/types.js'

export type MigrationKind = 'prisma' | 'sql'

/** One migration on disk, in the order it runs. */
export interface Migration {
  /** Folder name for Prisma (`20240101000000_init`), file or folder name for plain SQL. */
  name: string
  kind: MigrationKind
  upPath: string
  upSql: string
  /** `down.sql` / `<name>.down.sql` beside the up file (Prisma: a hand-written down.sql in the migration folder). */
  downPath: string | null
  downSql: string | null
  /** sha256 hex of the up file's bytes, as Prisma writes it to `_prisma_migrations.checksum`. */
  checksum: string
}

export interface MigrationProject {
  kind: MigrationKind
  /** The project folder (where package.json / prisma.config.ts is). */
  root: string
  migrationsDir: string
  schemaPath: string | null
  prismaVersion: string | null
  /** How the project's Prisma sends a migration.sql (plain SQL projects: 'per-statement' is never used; see applyMigration). */
  mode: PrismaMode
  migrations: Migration[]
}

export interface DiscoverOptions {
  /** Where to start looking: the project folder. */
  cwd: string
  /** Explicit migrations folder (relative to cwd or absolute). Skips Prisma config discovery. */
  migrationsDir?: string
  /** Overrides the Prisma version found in package.json (e.g. "7.4.0"). */
  prismaVersion?: string
}

/** A row of `_prisma_migrations` (Prisma projects) or `koinonia_migrations` (plain SQL, Prisma-only columns null). */
export interface AppliedRow {
  id: string | null
  name: string
  checksum: string
  startedAt: Date | null
  finishedAt: Date | null
  rolledBackAt: Date | null
  logs: string | null
  appliedStepsCount: number | null
}

export interface PlannedMigrations {
  applied: Migration[]
  pending: Migration[]
}

/** A statement of a migration file, as `splitStatements` returns it. */
export interface SplitStatement {
  index: number
  text: string
  /** 1-based line of the statement's first character in the file. */
  line: number
}

export interface StatementRun {
  index: number
  text: string
  line: number
  /** null when the file was sent as one query (no per-statement timing exists then). */
  durationMs: number | null
}

export interface ApplyError {
  message: string
  /** Index of the failing statement (in `splitStatements` order), or null when unknown. */
  statementIndex: number | null
  /** 1-based line in the migration file where the failing statement (or error position) is. */
  line: number | null
  /** 1-based character position in the file of the error, when Postgres reported one. */
  position: number | null
  /** SQLSTATE, e.g. "25001". */
  code: string | null
}

export interface ApplyResult {
  migration: string
  status: 'applied' | 'failed'
  /** 'single-query' | 'per-statement' | 'transaction' (statements one by one inside BEGIN/COMMIT). */
  strategy: ApplyStrategy
  durationMs: number
  /** Statements that ran to completion, in order. After a failure: those before the failing one. */
  statements: StatementRun[]
  error: ApplyError | null
  /**
   * After a failure: true when nothing of the migration stayed (single-query / transaction), false when
   * the statements before the failing one are committed (per-statement). Always false when applied.
   */
  rolledBack: boolean
}

/**
 * How a file is sent:
 * - `single-query`: the whole file as one simple-protocol query (Prisma < 7.4): one implicit transaction.
 * - `per-statement`: each statement as its own query, autocommit (Prisma >= 7.4).
 * - `transaction`: each statement on its own inside one explicit BEGIN/COMMIT: the same outcome as
 *   `single-query`, but observable per statement (hooks). See docs/migrations.md for the one difference.
 */
export type ApplyStrategy = 'single-query' | 'per-statement' | 'transaction'

export interface ApplyHooks {
  beforeStatement?(statement: SplitStatement): Promise<void> | void
  afterStatement?(statement: SplitStatement, durationMs: number): Promise<void> | void
}

export interface ApplyOptions extends ApplyHooks {
  /**
   * Default: from the project's mode. 'single-query' becomes 'transaction' when hooks are given (same
   * outcome, observable per statement); 'per-statement' stays. Plain SQL projects run as 'single-query'
   * (one file = one atomic step).
   */
  strategy?: ApplyStrategy
  /**
   * When a one-query run fails with an error that carries no position, replay the file statement by
   * statement inside a transaction that is rolled back, to name the failing statement. Default true.
   */
  locateFailure?: boolean
}

export interface MigrateOptions extends ApplyHooks {
  strategy?: ApplyStrategy
  locateFailure?: boolean
  /** Stop after this many pending migrations (default: all). */
  limit?: number
  /** Only the migrations up to and including this name. */
  to?: string
  /** Called after each migration with its result (already recorded). */
  onMigration?(result: ApplyResult): Promise<void> | void
  signal?: AbortSignal
}

export interface MigrateResult {
  /** Migrations found applied before the run. */
  alreadyApplied: string[]
  results: ApplyResult[]
  /** True when every migration tried was applied. */
  ok: boolean
  durationMs: number
}
