import { randomUUID } from 'node:crypto'
import { UsageError } from '../errors.js'
import { resolveKey, type SanitizeKey } from './key.js'
import { maskGroup } from './mask-group.js'
import { collectNameFingerprints, scrubs } from './name-fingerprints.js'
import { collectStreetLines } from './street-lines.js'
import { collectPersonNames } from './person-names.js'
import type { UniqueCheck } from './mask-table.js'
import { connectTarget, loadRules, planOn, redactUrl, type PlannedTable, type RulesSource, type SanitizePlan } from './plan.js'
import type { SanitizeReport, TableReport } from './report-types.js'
import { scanWithClient } from './scan.js'
import { prepareSession } from './sql-functions.js'
import { runOnConnections } from './run-on-connections.js'
import { dropFingerprints, ensureState, readState } from './state.js'

export type SanitizeProgress =
  | { kind: 'plan'; tables: number; groups: number }
  | { kind: 'table'; report: TableReport; done: number; total: number }
  | { kind: 'scan' }
  /** Before any table is masked: fingerprinting the full names and street lines scrub will look for. */
  | { kind: 'names' }

export interface RunSanitizeOptions extends RulesSource {
  /** The database masked in place: a restored copy, never production (`--target`). */
  target: string
  /** Groups of tables masked at the same time, one connection each. Default 2. */
  jobs?: number
  /** Environment variable holding the secret key. Default KOINONIA_SANITIZE_KEY. */
  keyEnv?: string
  env?: NodeJS.ProcessEnv
  /** When unique indexes are checked for collisions (see UniqueCheck). Default 'rebuild'. */
  uniqueCheck?: UniqueCheck
  /** Skip the leak scan after masking (`--no-scan`). */
  noScan?: boolean
  /** @deprecated Use `noScan: true`. */
  scan?: boolean
  signal?: AbortSignal
  onProgress?: (event: SanitizeProgress) => void
}

function emptyReport(t: PlannedTable): TableReport {
  return {
    name: t.table, rows: 0, method: t.method, status: 'not-run', durationMs: 0, rowsPerSecond: 0, mibPerSecond: 0, bytes: t.bytes,
    phases: { statsMs: 0, fingerprintsMs: 0, uniqueCheckMs: 0, rewriteMs: 0 },
    columns: [
      ...t.masked.map((m) => ({ name: m.column, rule: m.strategy, masked: 0, nullsKept: 0, unique: t.uniqueChecks.some((u) => u.columns?.includes(m.column)) ? ('ok' as const) : ('not-unique' as const), origin: m.origin })),
      ...t.kept.map((k) => ({ name: k, rule: 'keep', masked: 0, nullsKept: 0, unique: 'not-unique' as const })),
    ],
  }
}

/**
 * Masks the target database in place, table group by table group, up to `jobs` at once, then scans
 * the result for leaks. Refuses to start while any column is unclassified or a rule is invalid.
 * @example
 * const report = await runSanitize({ target: stagingUrl, rules: 'sanitize.yaml', jobs: 4 })
 * if (!report.ok) console.error(report.leaks, report.unclassified)
 */
export async function runSanitize(options: RunSanitizeOptions): Promise<SanitizeReport> {
  const started = performance.now()
  const key = resolveKey(options.env ?? process.env, options.keyEnv)
  const rules = await loadRules(options)
  const control = await connectTarget(options.target)
  try {
    const plan = await planOn(control, rules)
    const report: SanitizeReport = {
      version: 1, ok: false, target: redactUrl(options.target), keySource: key.source, runId: randomUUID(), durationMs: 0,
      tables: plan.tables.map(emptyReport), leaks: [], unclassified: plan.unclassified, stale: plan.stale, problems: plan.problems,
      scan: { ran: false, fingerprints: 0, columnsScanned: 0, rowsScanned: 0, durationMs: 0 },
    }
    if (plan.problems.length || plan.unclassified.length || plan.stale.length) return finish(report, started)
    await ensureState(control)
    const state = await readState(control)
    const foreign = [...state.values()].filter((s) => s.keyId !== key.id)
    const remaining = plan.groups.filter((g) => g.some((t) => !state.has(t)))
    if (foreign.length && remaining.length)
      throw new UsageError('KDB_SANITIZE_KEY_MISMATCH', `${foreign.length} table(s) were masked by an earlier run with a different key (${foreign.map((f) => f.table).slice(0, 3).join(', ')})`, {
        hint: 'Rerun with the same secret in the key environment variable, or restore the database and start over: mixing keys breaks cross-table consistency.',
      })
    await prepareSession(control, key)
    const todo = plan.tables.filter((t) => !state.has(t.table))
    if (remaining.length && todo.some((t) => t.masked.some((m) => scrubs(m)))) {
      // What scrub looks for, taken from the originals before any table is masked.
      options.onProgress?.({ kind: 'names' })
      await collectStreetLines(control, todo)
      await collectNameFingerprints(control, todo)
      await collectPersonNames(control, plan, new Set(state.keys()))
    }
    await runGroups(plan, remaining, state, key, report, options)
    for (const r of report.tables) if (state.has(r.name) && r.status === 'not-run') { r.status = 'already-masked'; r.rows = state.get(r.name)!.rows }
    for (const r of report.tables) if (r.status === 'not-run' && !plan.groups.flat().includes(r.name)) r.status = 'nothing-to-mask'
    const complete = report.tables.every((t) => t.status !== 'failed' && t.status !== 'not-run')
    if (complete && options.scan !== false && !options.noScan && !options.signal?.aborted) {
      options.onProgress?.({ kind: 'scan' })
      const scan = await scanWithClient(control, plan, { target: options.target, jobs: options.jobs, key })
      report.leaks = scan.leaks
      report.scan = scan.summary
      if (!scan.leaks.length) await dropFingerprints(control)
    }
    report.ok = complete && report.scan.ran && !report.leaks.length
    return finish(report, started)
  } finally {
    await control.end()
  }
}

function finish(report: SanitizeReport, started: number): SanitizeReport {
  report.durationMs = Math.round(performance.now() - started)
  return report
}

async function runGroups(plan: SanitizePlan, groups: string[][], state: Map<string, unknown>, key: SanitizeKey, report: SanitizeReport, options: RunSanitizeOptions): Promise<void> {
  const byName = new Map(plan.tables.map((t) => [t.table, t]))
  const reports = new Map(report.tables.map((r) => [r.name, r]))
  const todo = groups.map((g) => g.filter((t) => !state.has(t)))
  const total = todo.reduce((n, g) => n + g.length, 0)
  let done = 0
  options.onProgress?.({ kind: 'plan', tables: total, groups: todo.length })
  const size = (g: string[]) => g.reduce((s, t) => s + (byName.get(t)?.bytes ?? 0), 0)
  await runOnConnections(todo, { session: { target: options.target, key }, jobs: options.jobs ?? 2, size, signal: options.signal }, (client, g) => {
    const names = new Set(g)
    return maskGroup(client, {
      tables: g.map((t) => byName.get(t)!), reports, keyId: key.id, runId: report.runId, uniqueCheck: options.uniqueCheck ?? 'rebuild',
      foreignKeys: plan.foreignKeys.filter((fk) => names.has(fk.table) && names.has(fk.refTable)),
      onTable: (r) => options.onProgress?.({ kind: 'table', report: r, done: ++done, total }),
    })
  })
}
