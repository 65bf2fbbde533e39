/** The snapshot harness: public names, re-exported by src/index.ts. */
export { verify } from './verify.js'
export { loadSnapshot, appliedCount, type LoadSnapshotOptions, type LoadedSnapshot } from './load-snapshot.js'
export { fillSynthetic, type SyntheticOptions, type SyntheticResult } from './synthetic.js'
export { takeBaseline, fingerprintTable, type Baseline, type TableFingerprint, type ColumnFingerprint } from './baseline.js'
export { describeSchema, diffSchemas as diffSchemaDescriptions, type SchemaDescription as SnapshotSchemaDescription } from './schema-description.js'
export { restoreDump, type RestoreDumpOptions, type RestoreDumpResult } from './restore-dump.js'
export { detectDumpFormat, type DumpFormat } from './dump-format.js'
export { dumpLiveSource } from './dump-source.js'
export { cloneTemplate, freezeTemplate } from './template.js'
export { parseExpectations, type Expectation } from './expectations.js'
export { renderVerifyJson } from './report-json.js'
export { renderVerifyMarkdown } from './report-markdown.js'
export { renderVerifyPretty } from './report-pretty.js'
export type {
  VerifyOptions, VerifyResult, MigrationResult as VerifyMigrationResult, StatementResult as VerifyStatementResult,
  TableResult as VerifyTableResult, DataLoss, RollbackResult, MigrationError as VerifyMigrationError,
} from './types.js'
