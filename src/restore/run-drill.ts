import { randomUUID } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { EnvironmentError, KoinoniaError } from '../errors.js'
import { clientTool, systemBindir } from '../postgres/binaries.js'
import { parseLsn } from './wal-segments.js'
import { normalizeDrillOptions, type NormalizedDrillOptions } from './drill-options.js'
import { PhaseClock } from './phase-clock.js'
import { watchCopy } from './copy-progress.js'
import { mb } from './fs-utils.js'
import { RecoveryCluster } from './recovery-cluster.js'
import { barmanSource } from './steps/barman-source.js'
import { baseBackupSource } from './steps/base-backup-source.js'
import type { DrillSource, SourcePreflight } from './steps/drill-source.js'
import { pgbackrestSource } from './steps/pgbackrest-source.js'
import { describeTarget } from './steps/recovery-settings.js'
import { runChecks, promote, verifyPromoted } from './steps/checks.js'
import type { DrillOptions, DrillResult } from './types.js'
import { recoveryFailure, watchRecovery } from './watch-recovery.js'

export const DEFAULT_TARGETS = { rtoSeconds: 1800, rpoSeconds: 300 } as const

/**
 * Restores a backup to a point in time in an isolated folder and port, checks it while paused at the
 * target, promotes, verifies, and measures RTO and RPO. Data loss and missed targets are results
 * (verdict `fail`); it throws only when the drill cannot run (bad options, Postgres missing).
 * @example
 * const result = await runDrill({
 *   source: { kind: 'base-backup', backupDir: '/srv/base', archiveDir: '/srv/wal' },
 *   target: { type: 'time', value: '2026-11-25T22:30:00Z' },
 *   markers: [{ sql: "SELECT 1 FROM orders WHERE id = 42", expect: 'present' }],
 * })
 */
export async function runDrill(input: DrillOptions): Promise<DrillResult> {
  return runNormalizedDrill(normalizeDrillOptions(input))
}

/** runDrill on options normalizeDrillOptions already expanded and checked (the CLI needs them before the drill starts). */
export async function runNormalizedDrill(options: NormalizedDrillOptions): Promise<DrillResult> {
  const { target, signal } = options
  const progress = (m: string) => options.onProgress?.(m)
  const major = options.pgMajor ?? backupMajor(options) ?? 15
  const bindir = options.bindir ?? systemBindir(major)?.dir
  if (!bindir)
    throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `Postgres ${major} server binaries are not installed`, {
      hint: 'Install the server package of the backup\'s major version, or pass bindir.',
    })
  const tools = { pgVerifybackup: clientTool('pg_verifybackup', bindir), pgWaldump: clientTool('pg_waldump', bindir) }
  const source: DrillSource = options.source.kind === 'pgbackrest' ? pgbackrestSource(options.source, tools)
    : options.source.kind === 'barman' ? barmanSource(options.source, tools) : baseBackupSource(options.source, tools)
  const workDir = resolve(options.workDir ?? tmpdir())
  mkdirSync(workDir, { recursive: true })
  const clock = new PhaseClock()
  const startedAt = new Date()
  const result: DrillResult = {
    version: 1, drillId: randomUUID(), scenario: options.scenario, verdict: 'fail', startedAt: startedAt.toISOString(), finishedAt: '',
    source: { kind: options.source.kind, location: source.location }, target,
    recovery: { promoted: false }, rtoSeconds: 0, rpoSeconds: 0, targets: options.targets, phases: clock.phases, checks: [],
  }

  progress(`preflight: ${source.location}, target ${describeTarget(target)}`)
  const facts: SourcePreflight = await clock.time('preflight', () => source.preflight(target, workDir))
  result.checks.push(...facts.checks)
  if (facts.label) Object.assign(result.source, { startLsn: facts.label.startLsn, startSegment: facts.label.startSegment, timeline: facts.label.timeline })
  const backupTime = facts.backupTime ?? facts.label?.startTime
  if (backupTime) result.source.backupTime = backupTime
  const preflightFailure = facts.checks.find((c) => !c.ok)
  if (preflightFailure) return finish(result, options, clock, facts, `preflight: ${preflightFailure.name}: ${preflightFailure.detail}`)
  signal?.throwIfAborted()

  const cluster = new RecoveryCluster({ bindir, workDir, port: options.port })
  let keep = false
  try {
    progress(`restoring into ${cluster.dataDir}`)
    const stopWatching = watchCopy(cluster.dataDir, facts.backupBytes, progress)
    try {
      await clock.time('fetch', () => source.fetch(cluster, target, signal), () => `${mb(facts.backupBytes)} MB`)
    } catch (error) {
      // The backup tool refusing to restore this backup to this target is a finding, not a crash.
      if (error instanceof KoinoniaError && ['KDB_DRILL_PGBACKREST_FAILED', 'KDB_DRILL_BARMAN_FAILED'].includes(error.code)) return finish(result, options, clock, facts, `fetch: ${error.message}`)
      throw error
    } finally {
      stopWatching()
    }
    signal?.throwIfAborted()
    await cluster.assignPort()
    const recovery = source.recoverySettings(target)
    cluster.configure({ hot_standby: 'on', log_line_prefix: "'%m [%p] '", log_timezone: "'UTC'", ...recovery.settings, ...options.settings }, { recoverySignal: true, preserve: recovery.preserve })
    progress(`starting recovery on port ${cluster.port}`)
    const startedAt = Date.now()
    await cluster.start()
    const state = await watchRecovery(cluster, { startedAt, timeoutMs: options.timeoutSeconds * 1000, signal, onProgress: progress })
    clock.add('startup', state.redoStartMs ?? state.doneMs, 'until redo starts: control file, startup sync, backup_label')
    Object.assign(result.recovery, { lastReplayLsn: state.lastReplayLsn, lastReplayTime: state.lastReplayTime, stopReason: state.stopReason })
    const redoMs = state.doneMs - (state.redoStartMs ?? state.doneMs)
    if (state.lastReplayLsn && facts.label) {
      const replayedMB = Number(parseLsn(state.lastReplayLsn) - parseLsn(facts.label.startLsn)) / 1048576
      result.recovery.walReplayedMB = round(replayedMB)
      result.recovery.walReplayMBps = redoMs > 0 ? round(replayedMB / (redoMs / 1000)) : undefined
    }
    clock.add('redo', redoMs, result.recovery.walReplayedMB === undefined ? undefined : `${result.recovery.walReplayedMB} MB of WAL`)
    if (state.outcome === 'failed') return finish(result, options, clock, facts, `recovery failed: ${state.reason}`)
    progress(state.outcome === 'paused' ? `paused at ${state.lastReplayLsn}; running checks` : 'recovered to the end of the archive; running checks')

    let reason: string | undefined
    try {
      reason = await checkPromoteVerify(cluster, state.outcome, result, clock, options, progress)
    } catch (error) {
      signal?.throwIfAborted()
      // The server died or refused mid-check: that is what the drill found, with the server's own words.
      const fatal = recoveryFailure(cluster.log())
      reason = `${clock.phases.at(-1)?.name ?? 'checks'}: ${error instanceof Error ? error.message : String(error)}${fatal ? ` (server log: ${fatal})` : ''}`
    }
    finish(result, options, clock, facts, reason)
    if (options.keep && result.verdict === 'pass') {
      keep = true
      cluster.disown()
      result.kept = { url: cluster.url, port: cluster.port, dataDir: cluster.dataDir, stop: () => cluster.destroy('fast') }
    }
    return result
  } finally {
    if (!keep) await cluster.destroy('immediate')
  }
}

/**
 * Checks while paused; promotes only when they pass (a wrong target stays unpromoted); CHECKPOINT; verify.
 * Returns why the drill failed, or undefined.
 */
async function checkPromoteVerify(cluster: RecoveryCluster, outcome: 'paused' | 'promoted', result: DrillResult, clock: PhaseClock,
  options: NormalizedDrillOptions, progress: (m: string) => void): Promise<string | undefined> {
  const checks = await clock.time('checks', () => runChecks(cluster, options))
  result.checks.push(...checks)
  const bad = checks.find((c) => !c.ok)
  // The target or the backup is wrong: a promoted copy would only hide it. Shut down and report.
  if (bad && outcome === 'paused') return `${bad.name}: ${bad.detail} (not promoted)`
  if (outcome === 'paused') {
    progress('promoting')
    await clock.time('promote', () => promote(cluster))
  } else clock.add('promote', 0, 'promoted by Postgres at the end of the archive')
  result.recovery.promoted = true
  await clock.time('checkpoint', () => cluster.sql('CHECKPOINT'))
  progress('verifying (amcheck, checksums)')
  result.checks.push(...(await clock.time('verify', () => verifyPromoted(cluster, options))))
  const failure = result.checks.find((c) => !c.ok)
  return failure ? `${failure.name}: ${failure.detail}` : undefined
}

/** A plain base backup says which major wrote it (PG_VERSION); restoring with another one cannot work. */
function backupMajor(options: NormalizedDrillOptions): number | undefined {
  if (options.source.kind !== 'base-backup') return undefined
  const file = join(resolve(options.source.backupDir), 'PG_VERSION')
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined
}

function finish(result: DrillResult, options: NormalizedDrillOptions, clock: PhaseClock, facts: SourcePreflight, reason?: string): DrillResult {
  result.finishedAt = new Date().toISOString()
  result.rtoSeconds = round(clock.totalMs / 1000)
  result.rpoSeconds = realizedRpo(result, options, facts)
  const rtoOk = result.rtoSeconds <= result.targets.rtoSeconds
  const rpoOk = result.rpoSeconds <= result.targets.rpoSeconds
  if (!reason && result.recovery.promoted) {
    result.checks.push({ name: 'RTO', ok: rtoOk, detail: `${result.rtoSeconds} s, target ${result.targets.rtoSeconds} s` })
    result.checks.push({ name: 'RPO', ok: rpoOk, detail: `${result.rpoSeconds} s, target ${result.targets.rpoSeconds} s` })
    if (!rtoOk) reason = `RTO ${result.rtoSeconds} s exceeds the target ${result.targets.rtoSeconds} s`
    else if (!rpoOk) reason = `RPO ${result.rpoSeconds} s exceeds the target ${result.targets.rpoSeconds} s`
  }
  result.verdict = reason ? 'fail' : 'pass'
  if (reason) result.reason = reason
  if (options.historyFile) {
    mkdirSync(dirname(resolve(options.historyFile)), { recursive: true })
    const { kept: _kept, ...line } = result
    appendFileSync(options.historyFile, `${JSON.stringify(line)}\n`)
  }
  return result
}

/**
 * Realized RPO: commits lost between the last recovered transaction and the moment that mattered —
 * the failure time when given, else the target time, else the archive's last commit (full loss / latest).
 */
function realizedRpo(result: DrillResult, options: NormalizedDrillOptions, facts: SourcePreflight): number {
  const recovered = result.recovery.lastReplayTime ? Date.parse(result.recovery.lastReplayTime) : undefined
  const reference = options.failureTime ?? (options.target.type === 'time' ? options.target.value : facts.lastCommitTime)
  if (recovered === undefined || !reference) return 0
  return round(Math.max(0, (Date.parse(reference) - recovered) / 1000))
}

const round = (n: number) => Math.round(n * 1000) / 1000
