import { setTimeout as sleep } from 'node:timers/promises'
import type { RecoveryCluster } from './recovery-cluster.js'

export interface RecoveryState {
  /** paused at the target; promoted (recovered to the end of the archive); failed (postmaster exited or timed out). */
  outcome: 'paused' | 'promoted' | 'failed'
  reason?: string
  /** ms after pg_ctl start when redo began (end of the startup phase: control file, startup sync, backup_label). */
  redoStartMs?: number
  /** ms after pg_ctl start when recovery paused or ended. */
  doneMs: number
  lastReplayLsn?: string
  lastReplayTime?: string
  /** The log line saying where recovery stopped ("recovery stopping before commit of transaction 745, time ..."). */
  stopReason?: string
}

export interface WatchOptions {
  /** Date.now() just before pg_ctl start: phase times are measured from here. */
  startedAt: number
  timeoutMs: number
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

// Server log lines that tell where recovery is; accepting connections is not the same as restored.
const FAILED_RE = /\b(?:FATAL|PANIC):\s+(.*)$/gm
// FATALs our own polling causes while the server starts; not why recovery failed.
const NOISE_RE = /database system is (starting up|not yet accepting connections|shutting down)|terminating connection/

/** The first FATAL or PANIC of the log that is not connection noise. */
export function recoveryFailure(log: string): string | undefined {
  for (const m of log.matchAll(FAILED_RE)) {
    if (NOISE_RE.test(m[1])) continue
    // "configuration file ... contains errors": the LOG lines just before it say which setting.
    const before = log.slice(0, m.index).trim().split('\n').slice(-3).filter((l) => /parameter|syntax error|invalid value|line \d+/.test(l))
    return [...before.map((l) => l.replace(/^.*?LOG:\s+/, '')), m[1].trim()].join('; ')
  }
  return undefined
}
const REDO_START_RE = /redo starts at ([0-9A-F]+\/[0-9A-F]+)/
const STOP_RE = /(recovery stopping [^\n]*)/

/**
 * Polls the server log and SQL until recovery pauses at its target, promotes at the end of the archive,
 * or the postmaster gives up. SQL: pg_is_in_recovery(), pg_get_wal_replay_pause_state(),
 * pg_last_xact_replay_timestamp(), pg_last_wal_replay_lsn().
 */
export async function watchRecovery(cluster: RecoveryCluster, options: WatchOptions): Promise<RecoveryState> {
  return refineFromLog(await poll(cluster, options), cluster.log(), options.startedAt)
}

// With log_line_prefix '%m [%p] ' and log_timezone UTC (set by the drill), every line starts with a ms timestamp.
const STAMP_RE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC \[\d+\] (.*)$/gm
const DONE_RE = /^(LOG:\s+(recovery stopping|pausing at the end of recovery|recovery has paused|redo done at)|(FATAL|PANIC):)/

/**
 * Polling sees a state change up to one interval late; the server log says when it happened to the
 * millisecond. Falls back to the polled times when the log has no stamps (a custom log_line_prefix).
 */
export function refineFromLog(state: RecoveryState, log: string, startedAt: number): RecoveryState {
  let redoStart: number | undefined
  let done: number | undefined
  for (const m of log.matchAll(STAMP_RE)) {
    const at = Date.parse(`${m[1].replace(' ', 'T')}Z`) - startedAt
    if (/^LOG:\s+redo starts at/.test(m[2])) redoStart ??= at
    else if (DONE_RE.test(m[2]) && !NOISE_RE.test(m[2])) done ??= at
  }
  if (redoStart === undefined || done === undefined || done < redoStart || redoStart < 0) return state
  return { ...state, redoStartMs: redoStart, doneMs: done }
}

async function poll(cluster: RecoveryCluster, options: WatchOptions): Promise<RecoveryState> {
  const t0 = options.startedAt
  let redoStartMs: number | undefined
  let lastNote = ''
  const note = (message: string) => {
    if (message !== lastNote) options.onProgress?.(message)
    lastNote = message
  }
  for (;;) {
    options.signal?.throwIfAborted()
    const elapsed = Date.now() - t0
    const log = cluster.log()
    if (redoStartMs === undefined && REDO_START_RE.test(log)) {
      redoStartMs = elapsed
      note(`redo started at ${REDO_START_RE.exec(log)![1]}`)
    }
    const state = await queryState(cluster)
    // Read after the query: the stop line is logged just before the pause the query may have seen.
    const stopReason = state ? STOP_RE.exec(cluster.log())?.[1] : undefined
    if (state) {
      if (!state.inRecovery) return { outcome: 'promoted', redoStartMs: redoStartMs ?? elapsed, doneMs: elapsed, ...state.replay, stopReason }
      if (state.pause === 'paused') return { outcome: 'paused', redoStartMs: redoStartMs ?? elapsed, doneMs: elapsed, ...state.replay, stopReason }
      note(`replaying WAL, at ${state.replay.lastReplayLsn ?? '?'}`)
    }
    if (cluster.postmasterPid() === undefined && elapsed > 1000) {
      // Give the log a moment: the postmaster writes the FATAL line just before exiting.
      await sleep(100)
      const reason = recoveryFailure(cluster.log()) ?? 'the server exited during recovery (no FATAL line in its log)'
      return { outcome: 'failed', reason, redoStartMs, doneMs: elapsed }
    }
    if (elapsed > options.timeoutMs)
      return { outcome: 'failed', reason: `recovery did not reach its target within ${Math.round(options.timeoutMs / 1000)} s`, redoStartMs, doneMs: elapsed }
    await sleep(100)
  }
}

async function queryState(cluster: RecoveryCluster) {
  if (cluster.postmasterPid() === undefined) return undefined
  try {
    const r = await cluster.sql(`SELECT pg_is_in_recovery() AS rec,
      CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END AS pause,
      pg_last_wal_replay_lsn()::text AS lsn, pg_last_xact_replay_timestamp() AS ts`)
    const row = r.rows[0]
    return {
      inRecovery: row.rec as boolean,
      pause: row.pause as string | null,
      replay: { lastReplayLsn: (row.lsn as string | null) ?? undefined, lastReplayTime: row.ts ? (row.ts as Date).toISOString() : undefined },
    }
  } catch {
    return undefined // not yet consistent: "the database system is not yet accepting connections"
  }
}
