/** A node of the Postgres parse tree as libpg-query returns it (`{ IndexStmt: {...} }`). */
// The parse tree is wide and version-dependent; rules read it defensively instead of through generated types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any

export const CATEGORIES = [
  'rename', 'drop', 'index', 'not-null', 'rewrite', 'constraint', 'transaction', 'data', 'lock', 'style',
] as const
export type Category = (typeof CATEGORIES)[number]

export type Severity = 'error' | 'warning'

/** Postgres table-level lock modes, weakest first, spelled as the docs spell them. */
export const LOCK_MODES = [
  'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE',
  'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE',
] as const
export type LockMode = (typeof LOCK_MODES)[number]

/** What ordinary traffic a lock makes wait. */
export type Blocked = 'reads' | 'writes' | 'schema changes'

export type Verdict = 'safe' | 'risky'

export interface Finding {
  rule: string
  category: Category
  severity: Severity
  message: string
  /** The safe alternative: concrete SQL, or the expand/contract sequence of deploys. */
  suggestion: string
}

/** How Prisma sends a migration.sql to the server. */
export type PrismaMode = 'single-query' | 'per-statement'

export interface StatementReport {
  index: number
  line: number
  column: number
  endLine: number
  text: string
  verdict: Verdict
  lock: LockMode | null
  /** The table the lock is taken on, when there is one. */
  table: string | null
  /** Shared between statements: read-only. */
  blocks: readonly Blocked[]
  rewrite: boolean
  /** Reads every row of the table (a validation or index build) while holding `lock`. */
  scan: boolean
  /** Read-only: a statement without findings shares one empty list with the others. */
  findings: readonly Finding[]
  /** Findings silenced by a `koinonia-db-ignore` comment, with its reason. */
  ignored: ReadonlyArray<Finding & { reason: string }>
}

export interface ParseErrorReport {
  message: string
  line: number
  column: number
}

export interface FileReport {
  path: string
  kind: 'prisma' | 'sql'
  /** Present for Prisma migrations: the Prisma version found and how it runs the file. */
  prisma: { version: string | null; mode: PrismaMode } | null
  statements: StatementReport[]
  /** File-level findings: problems with ignore comments, Prisma warning headers. */
  notices: Finding[]
  error: ParseErrorReport | null
}

export interface LintResult {
  version: 1
  files: FileReport[]
  /** `skipped`: migrations of the folders given that startAfter left out (only when there are any). */
  summary: { files: number; statements: number; risky: number; errors: number; skipped?: number }
}

export interface LintOptions {
  /** Target Postgres major version, 11 to 18. Default 15. */
  pgVersion?: number
  /** Path used in reports and error messages when linting a string. */
  path?: string
  /**
   * Treat the SQL as a Prisma migration.sql. `prismaVersion` decides how Prisma runs it
   * (before 7.4: one implicit transaction; from 7.4: statement by statement).
   */
  prisma?: boolean
  /** Prisma version, e.g. "6.5.0". Overrides detection from package.json. */
  prismaVersion?: string
  /**
   * Read the earlier migrations of each file's folder for the column types they declare, so type
   * changes are judged against the real current type. lintFiles: default true. lint(): default
   * false; true reads the folder of `path`, the migration's would-be file.
   */
  history?: boolean
  /**
   * Per-path rule settings, applied after `rules`: `files` are globs relative to `cwd`
   * (`**` any folders, `*` within a name).
   */
  overrides?: Array<{ files: string[]; rules: Record<string, Severity | 'off'> }>
  /** Folder that override globs are relative to (the config file's). Default: process.cwd(). */
  cwd?: string
  /** Rule ids to turn off. */
  disable?: string[]
  /**
   * Every file runs inside one transaction its migration tool opens, as Flyway, knex,
   * node-pg-migrate, Rails and Django do by default (squawk's --assume-in-transaction): CONCURRENTLY
   * fails, locks are held to the end of the file, a BEGIN in the file does not nest. Prisma
   * migration.sql files follow how Prisma runs them instead. Default false.
   */
  assumeInTransaction?: boolean
  /**
   * Adopting the linter on an existing history (strong_migrations' start_after): the migrations of
   * a folder whose name sorts at or before this one are not judged, only read for the column types
   * they declare. Compared on the name's first characters, as many as this has: `20250317104500`
   * covers `20250317104500_add_campaigns/migration.sql`, `003` covers `003_backfill.sql`. A file
   * named on its own is always judged.
   */
  startAfter?: string
  /** Severity overrides per rule id; 'off' disables. */
  rules?: Record<string, Severity | 'off'>
}
