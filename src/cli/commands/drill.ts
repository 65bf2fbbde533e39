import { writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { drillTrend, readDrillHistory } from '../../restore/history.js'
import { loadDrillFile, readReference } from '../../restore/load-drill-file.js'
import { captureReference } from '../../restore/reference.js'
import { drillToJson } from '../../restore/report/json.js'
import { drillToMarkdown } from '../../restore/report/markdown.js'
import { drillToPretty } from '../../restore/report/pretty.js'
import { runDrill } from '../../restore/run-drill.js'
import type { DrillOptions, DrillScenario, RecoveryTarget } from '../../restore/types.js'
import type { CliCommand } from '../command.js'

const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : [])
const num = (v: unknown, flag: string) => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new UsageError('KDB_DRILL_FLAG', `--${flag} must be a number, got "${v}"`, { hint: `Example: --${flag} 600` })
  return n
}

function targetFromFlags(v: Record<string, unknown>): RecoveryTarget | undefined {
  const given: RecoveryTarget[] = []
  const inclusive = v['target-exclusive'] ? false : undefined
  if (v['target-time']) given.push({ type: 'time', value: String(v['target-time']), inclusive })
  if (v['target-lsn']) given.push({ type: 'lsn', value: String(v['target-lsn']), inclusive })
  if (v['target-xid']) given.push({ type: 'xid', value: String(v['target-xid']), inclusive })
  if (v['target-name']) given.push({ type: 'name', value: String(v['target-name']) })
  if (v['target-immediate']) given.push({ type: 'immediate' })
  if (v['target-latest']) given.push({ type: 'latest' })
  if (given.length > 1) throw new UsageError('KDB_DRILL_FLAG', 'give one recovery target, not several', { hint: 'Use one of --target-time, --target-lsn, --target-xid, --target-name, --target-immediate, --target-latest.' })
  return given[0]
}

/** Flags override the drill file; each flag is an API option name in kebab-case. */
function optionsFrom(v: Record<string, unknown>, positionals: string[], cwd: string): DrillOptions {
  if (positionals.length > 1) throw new UsageError('KDB_DRILL_FLAG', 'give at most one drill file', { hint: 'koinonia-db drill drill.yaml' })
  const file: Partial<DrillOptions> = positionals[0] ? loadDrillFile(resolve(cwd, positionals[0])) : {}
  const abs = (p: unknown) => (typeof p === 'string' ? resolve(cwd, p) : undefined)
  let source = file.source
  if (v['backup-dir'] || v['archive-dir'])
    source = { kind: 'base-backup', backupDir: abs(v['backup-dir']) ?? '', archiveDir: abs(v['archive-dir']) ?? '', restoreCommand: v['restore-command'] as string | undefined }
  else if (v.stanza) source = { kind: 'pgbackrest', stanza: String(v.stanza), config: abs(v['pgbackrest-config']), set: v.set as string | undefined }
  if (!source) throw new UsageError('KDB_DRILL_FLAG', 'no backup to drill from', { hint: 'Pass a drill file, or --backup-dir and --archive-dir, or --stanza.' })
  const markers = [
    ...(file.markers ?? []),
    ...list(v['marker-present']).map((sql) => ({ sql, expect: 'present' as const })),
    ...list(v['marker-absent']).map((sql) => ({ sql, expect: 'absent' as const })),
  ]
  return {
    ...file,
    source,
    target: targetFromFlags(v) ?? file.target,
    scenario: (v.scenario as DrillScenario | undefined) ?? file.scenario,
    pgMajor: num(v['pg-major'], 'pg-major') ?? file.pgMajor,
    bindir: (v.bindir as string | undefined) ?? file.bindir,
    markers,
    assertions: [...(file.assertions ?? []), ...list(v.assert).map((sql) => ({ sql }))],
    reference: v.reference ? readReference(resolve(cwd, String(v.reference))) : file.reference,
    database: (v.database as string | undefined) ?? file.database,
    amcheck: v['no-amcheck'] ? false : file.amcheck,
    failureTime: (v['failure-time'] as string | undefined) ?? file.failureTime,
    targets: { rtoSeconds: num(v['rto-target'], 'rto-target') ?? file.targets?.rtoSeconds, rpoSeconds: num(v['rpo-target'], 'rpo-target') ?? file.targets?.rpoSeconds },
    workDir: abs(v['work-dir']) ?? file.workDir,
    port: num(v.port, 'port') ?? file.port,
    keep: Boolean(v.keep) || file.keep,
    historyFile: abs(v.history) ?? file.historyFile,
    timeoutSeconds: num(v.timeout, 'timeout') ?? file.timeoutSeconds,
  }
}

export const drillCommand: CliCommand = {
  name: 'drill',
  summary: 'Rehearse a point-in-time restore: restore, check at the target, promote, verify, measure RTO/RPO',
  usage: [
    'koinonia-db drill [drill.yaml] [--backup-dir DIR --archive-dir DIR | --stanza NAME [--pgbackrest-config FILE]]',
    '  [--target-time T | --target-lsn L | --target-xid X | --target-name N | --target-immediate | --target-latest] [--scenario S]',
    '  [--marker-present SQL]... [--marker-absent SQL]... [--assert SQL]... [--reference FILE] [--history FILE]',
    '  [--rto-target S] [--rpo-target S] [--keep] [--format pretty|json|markdown] [--output FILE]',
    '  koinonia-db drill --capture-reference URL   (print the table reference of a database, at the target moment)',
  ].join('\n'),
  options: {
    'backup-dir': { type: 'string' }, 'archive-dir': { type: 'string' }, 'restore-command': { type: 'string' },
    stanza: { type: 'string' }, 'pgbackrest-config': { type: 'string' }, set: { type: 'string' },
    'target-time': { type: 'string' }, 'target-lsn': { type: 'string' }, 'target-xid': { type: 'string' }, 'target-name': { type: 'string' },
    'target-immediate': { type: 'boolean' }, 'target-latest': { type: 'boolean' }, 'target-exclusive': { type: 'boolean' },
    scenario: { type: 'string' }, 'pg-major': { type: 'string' }, bindir: { type: 'string' },
    'marker-present': { type: 'string', multiple: true }, 'marker-absent': { type: 'string', multiple: true }, assert: { type: 'string', multiple: true },
    reference: { type: 'string' }, database: { type: 'string' }, 'no-amcheck': { type: 'boolean' }, 'failure-time': { type: 'string' },
    'rto-target': { type: 'string' }, 'rpo-target': { type: 'string' }, 'work-dir': { type: 'string' }, port: { type: 'string' },
    keep: { type: 'boolean' }, history: { type: 'string' }, timeout: { type: 'string' },
    format: { type: 'string', default: 'pretty' }, output: { type: 'string' }, 'capture-reference': { type: 'string' },
  },
  async run(values, positionals, io) {
    const format = String(values.format)
    if (!['pretty', 'json', 'markdown'].includes(format))
      throw new UsageError('KDB_DRILL_FLAG', `unknown format "${format}"`, { hint: 'Use --format pretty, json or markdown.' })
    if (values['capture-reference']) {
      io.stdout.write(`${JSON.stringify(await captureReference({ url: String(values['capture-reference']) }), null, 2)}\n`)
      return 0
    }
    const options = optionsFrom(values, positionals, io.cwd)
    // Targets and the history file not given by a flag or the drill file come from koinonia.config.*.
    const { loadConfig } = await import('../../config/load-config.js')
    const { config, path: configPath } = await loadConfig({ cwd: io.cwd })
    options.targets = { rtoSeconds: options.targets?.rtoSeconds ?? config.drill?.rtoSeconds, rpoSeconds: options.targets?.rpoSeconds ?? config.drill?.rpoSeconds }
    if (!options.historyFile && config.drill?.history && configPath) options.historyFile = resolve(dirname(configPath), config.drill.history)
    const progress = io.stderr.isTTY && format !== 'json' ? (m: string) => io.stderr.write(`\u001b[2m… ${m}\u001b[0m\n`) : undefined
    let result
    try {
      result = await runDrill({ ...options, onProgress: progress, signal: io.signal })
    } catch (error) {
      if (io.signal.aborted) {
        io.stderr.write('koinonia-db drill: interrupted; the restored copy was stopped and removed\n')
        return 130
      }
      throw error
    }
    const report = format === 'json' ? drillToJson(result) : format === 'markdown' ? drillToMarkdown(result) : drillToPretty(result, { color: Boolean(io.stderr.isTTY) })
    if (values.output) writeFileSync(resolve(io.cwd, String(values.output)), report)
    else if (format === 'pretty') io.stderr.write(report)
    else io.stdout.write(report)
    if (options.historyFile && format === 'pretty') {
      const trend = drillTrend(readDrillHistory(options.historyFile), result)
      io.stderr.write(`  history   ${trend.passed}/${trend.drills} passed; RTO over the last drills: ${trend.rtoSeconds.join(', ')} s${trend.rtoChange ? ` (latest ×${trend.rtoChange} of the median)` : ''}\n`)
    }
    return result.verdict === 'pass' ? 0 : 1
  },
}
