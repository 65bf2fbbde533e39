import type { Origin, StaleRule, Unclassified } from './types.js'
import type { PlanProblem } from './plan.js'

export interface ColumnReport {
  name: string
  rule: string
  /** Non-null values rewritten. */
  masked: number
  nullsKept: number
  /** Collision check over the unique indexes this column is in. */
  unique: 'ok' | 'collision' | 'not-unique'
  origin?: Origin
}

export interface TableReport {
  name: string
  rows: number
  method: 'rewrite' | 'update' | 'none'
  status: 'masked' | 'already-masked' | 'nothing-to-mask' | 'failed' | 'not-run'
  durationMs: number
  rowsPerSecond: number
  mibPerSecond: number
  bytes: number
  /** Where the time went: counting, fingerprinting originals, the collision check, the rewrite. */
  phases: { statsMs: number; fingerprintsMs: number; uniqueCheckMs: number; rewriteMs: number }
  columns: ColumnReport[]
  error?: { code: string; message: string }
}

export interface Leak {
  table: string
  column: string
  /** Primary key (`id=42`) or ctid of the row; never the value. */
  key: string
  /** `original-value`: a keyed fingerprint of an original value matched; `pattern:<kind>`: a PII pattern in a kept column. */
  kind: string
}

export interface ScanSummary {
  ran: boolean
  fingerprints: number
  columnsScanned: number
  rowsScanned: number
  durationMs: number
}

/** The audit report of `sanitize run` / `refresh-staging` (JSON contract version 1). */
export interface SanitizeReport {
  version: 1
  ok: boolean
  target: string
  keySource: 'env' | 'random'
  runId: string
  durationMs: number
  tables: TableReport[]
  leaks: Leak[]
  unclassified: Unclassified[]
  stale: StaleRule[]
  problems: PlanProblem[]
  scan: ScanSummary
}
