/**
 * koinonia-db: safe PostgreSQL schema changes and database operations.
 * Every public name is exported here and only here.
 */
export { KoinoniaError, UsageError, InputError, EnvironmentError, EXIT, exitCodeFor } from './errors.js'

// Linter
export { lint, lintFiles, DEFAULT_PG_VERSION } from './linter/lint.js'
export { RULES } from './linter/rules/index.js'
export {
  formatReport, formatPretty, formatJson, formatSarif, formatGithub, formatGitlab, formatCompact, toCodeQuality, toJsonReport, toSarif, REPORT_FORMATS,
  type ReportFormat, type ReportOptions, type CodeQualityIssue,
} from './linter/report/index.js'

// Config: koinonia.config.ts|mjs|js|json|yaml|yml
export {
  loadConfig, findConfigFile, parseConfig, defineConfig, CONFIG_KEYS, CONFIG_FILE_NAMES, defineConfigKey, ConfigProblem,
  type KoinoniaConfig, type ConfigKey, type LoadConfigOptions, type LoadedConfig,
} from './config/index.js'
export { defineRule, type Rule, type RuleHit, type RuleDocs } from './linter/define-rule.js'
export type { RuleContext } from './linter/context.js'
export type {
  LintOptions, LintResult, FileReport, StatementReport, Finding, Category, Severity, LockMode, Blocked, Verdict,
} from './linter/types.js'

// Project setup and git-aware selection
export { initProject, type InitOptions, type InitResult, type InitFile } from './init/init-project.js'
export { selectStaged, selectSince, type MigrationSelection, type SelectionProblem } from './git/select-migrations.js'

// Migrations
export {
  discoverMigrations, readAppliedMigrations, planMigrations, splitStatements, loadSqlParser, applyMigration, defaultStrategy,
  recordMigration, ensureMigrationsTable, migrateToLatest, migrateWith, migrationChecksum, checksumMatches, generateDownScript,
  generateDown, generateDowns, downMigration, introspectSchema, compareSchemas, PRISMA_MIGRATIONS_DDL, KOINONIA_MIGRATIONS_DDL,
} from './migrations/index.js'
export type {
  Migration, MigrationKind, MigrationProject, DiscoverOptions, AppliedRow, PlannedMigrations, SplitStatement, StatementRun,
  ApplyError, ApplyResult, ApplyStrategy, ApplyHooks, ApplyOptions, MigrateOptions, MigrateResult, DownScript,
  GenerateDownOptions, SchemaDescription,
} from './migrations/index.js'

// Postgres provisioning: embedded (default), system, url, testcontainers; handles are AsyncDisposable
export {
  startPostgres, getProvider, PROVIDERS, DEFAULT_PROVIDER, sweep, sweepUrl, createEmbeddedProvider, embeddedMajors, stopAllLive,
  type PostgresHandle, type PostgresProvider, type ProviderName, type StartOptions, type SweepOptions, type SweepResult,
  type EmbeddedProviderOptions,
} from './postgres/index.js'

// Snapshot harness: `verify` = snapshot in, baseline, observed replay, data-loss check, rollback proof
export {
  verify, loadSnapshot, fillSynthetic, takeBaseline, fingerprintTable, describeSchema, diffSchemaDescriptions, restoreDump, detectDumpFormat,
  dumpLiveSource, cloneTemplate, freezeTemplate, parseExpectations, renderVerifyJson, renderVerifyMarkdown, renderVerifyPretty,
} from './snapshot/index.js'
export type {
  VerifyOptions, VerifyResult, VerifyMigrationResult, VerifyStatementResult, VerifyTableResult, VerifyMigrationError, DataLoss, RollbackResult,
  Expectation, Baseline, TableFingerprint, ColumnFingerprint, SnapshotSchemaDescription, DumpFormat, LoadSnapshotOptions, LoadedSnapshot,
  SyntheticOptions, SyntheticResult, RestoreDumpOptions, RestoreDumpResult,
} from './snapshot/index.js'

// Restore drills
export { runDrill, DEFAULT_TARGETS } from './restore/run-drill.js'
export { setupArchiving, archivingSettings, prepareArchiveDir, safeArchiveCommand, ARCHIVE_COMPRESSIONS, type ArchiveCompression, type SetupArchivingOptions, type SetupArchivingResult } from './restore/archiving.js'
export { takeBaseBackup, type BaseBackupOptions, type BaseBackupResult } from './restore/base-backup.js'
export { captureReference, type CaptureReferenceOptions } from './restore/reference.js'
export { loadDrillFile } from './restore/load-drill-file.js'
export { expandDrillFlags, type DrillFlagOptions } from './restore/drill-flag-options.js'
export { readDrillHistory, drillTrend, type DrillHistoryEntry, type DrillTrend } from './restore/history.js'
export { drillToJson } from './restore/report/json.js'
export { drillToMarkdown } from './restore/report/markdown.js'
export { drillToPretty } from './restore/report/pretty.js'
export type {
  DrillOptions, DrillResult, DrillPhase, DrillCheck, DrillScenario, RecoveryTarget, BackupSource, MarkerCheck, SqlAssertion,
  TableReference, KeptCluster,
} from './restore/types.js'

// Sanitize: mask personal data in a restored copy, keep joins and unique keys, prove nothing leaked
export { planSanitize, buildPlan, loadRules, type PlanSanitizeOptions, type SanitizePlan, type PlannedTable, type PlannedColumn, type PlanProblem, type RulesSource } from './sanitize/plan.js'
export { runSanitize, type RunSanitizeOptions, type SanitizeProgress } from './sanitize/run.js'
export { scanForLeaks, PII_PATTERNS, type ScanForLeaksOptions } from './sanitize/scan.js'
export { checkCoverage, type CoverageResult } from './sanitize/coverage.js'
export { suggestRules, type SuggestRulesOptions, type SuggestRulesResult, type Suggestion } from './sanitize/suggest.js'
export { refreshStaging, STAGING_MARKER, type RefreshStagingOptions, type RefreshStagingResult } from './sanitize/refresh-staging.js'
export { defineSanitizeRules, loadRulesFile } from './sanitize/rules.js'
export { renderReport as renderSanitizeReport } from './sanitize/report.js'
export { STRATEGIES as SANITIZE_STRATEGIES, type Strategy as SanitizeStrategy } from './sanitize/strategies/index.js'
export type { SanitizeReport, TableReport as SanitizeTableReport, ColumnReport as SanitizeColumnReport, Leak, ScanSummary } from './sanitize/report-types.js'
export type { SanitizeRulesConfig, RuleSpec } from './sanitize/types.js'
