import { setTimeout as sleep } from 'node:timers/promises'
import type { RecoveryCluster } from './recovery-cluster.js'

export interface RecoveryState {
  /** paused at the target; promoted (recovered to the end of the archive); failed (postmaster exited or timed out). */
  outcome: 'paused' | 'promoted' | 'failed'
  reason?: string
  /** ms after start when redo began (end of the startup phase: control file, startup sync, backup_label). */
  redoStartMs?: number
  /** ms after start when recovery paused or ended. */
  doneMs: number
  lastReplayLsn?: string
  lastReplayTime?: string
  /** The log line saying where recovery stopped ("recovery stopping before commit of transaction 745, time ..."). */
  stopReason?: string
}

export interface WatchOptions {
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
  const t0 = Date.now()
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
