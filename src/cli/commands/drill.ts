import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { drillTrend, readDrillHistory } from '../../restore/history.js'
import { parseArgsOptions } from '../../config/flag-spec.js'
import { DRILL_FLAGS } from '../../config/flags/drill-flags.js'
import { givesSource, structuredSets } from '../../restore/drill-flag-options.js'
import { normalizeDrillOptions, type NormalizedDrillOptions } from '../../restore/drill-options.js'
import { loadDrillFile } from '../../restore/load-drill-file.js'
import { captureReference } from '../../restore/reference.js'
import { drillToJson } from '../../restore/report/json.js'
import { drillToMarkdown } from '../../restore/report/markdown.js'
import { drillToPretty } from '../../restore/report/pretty.js'
import { runNormalizedDrill } from '../../restore/run-drill.js'
import type { DrillOptions } from '../../restore/types.js'
import type { CliCommand } from '../command.js'
import { flagValue, readFlags } from '../read-flags.js'

/** Flags, then the drill file, then koinonia.config.*'s drill section: each option from the first that sets it (markers and assertions add up). */
async function optionsFrom(values: Record<string, unknown>, positionals: string[], cwd: string): Promise<{ options: NormalizedDrillOptions; format: string; output?: string }> {
  if (positionals.length > 1) throw new UsageError('KDB_DRILL_FLAG', 'give at most one drill file', { hint: 'koinonia-db drill drill.yaml' })
  const { fromFlags, fromConfig, options } = await readFlags(DRILL_FLAGS, values, cwd)
  const file: Partial<DrillOptions> = positionals[0] ? loadDrillFile(resolve(cwd, positionals[0])) : {}
  const flat: Record<string, unknown> = { ...fromFlags }
  for (const [name, value] of Object.entries(fromConfig)) if (flat[name] === undefined && !structuredSets(file, name)) flat[name] = value
  const { format: _format, output: _output, config: _config, captureReference: _capture, ...api } = flat as typeof options
  const merged: DrillOptions = { ...file, ...api }
  if (!givesSource(merged)) throw new UsageError('KDB_DRILL_FLAG', 'no backup to drill from', { hint: 'Pass a drill file, or --backup-dir and --archive-dir, or --stanza, or --barman-server (or set them in the drill section of koinonia.config.*).' })
  return { options: normalizeDrillOptions(merged), format: options.format!, output: options.output }
}

export const drillCommand: CliCommand = {
  name: 'drill',
  summary: 'Rehearse a point-in-time restore: restore, check at the target, promote, verify, measure RTO/RPO',
  usage: [
    'koinonia-db drill [drill.yaml] [--backup-dir DIR --archive-dir DIR | --stanza NAME [--pgbackrest-config FILE]',
    '  | --barman-server NAME [--barman-config FILE] [--backup-id ID]]',
    '  [--target-time T | --target-lsn L | --target-xid X | --target-name N | --target-immediate | --target-latest] [--scenario S]',
    '  [--marker-present SQL]... [--marker-absent SQL]... [--assert SQL]... [--reference FILE] [--history FILE]',
    '  [--rto-target S] [--rpo-target S] [--keep] [--format pretty|json|markdown] [--output FILE] [--config PATH]',
    '  koinonia-db drill --capture-reference URL   (print the table reference of a database, at the target moment)',
  ].join('\n'),
  options: parseArgsOptions(DRILL_FLAGS),
  async run(values, positionals, io) {
    if (values['capture-reference']) {
      const url = flagValue('capture-reference', DRILL_FLAGS.flags['capture-reference'], values['capture-reference']) as string
      io.stdout.write(`${JSON.stringify(await captureReference({ url }), null, 2)}\n`)
      return 0
    }
    const { options, format, output } = await optionsFrom(values, positionals, io.cwd)
    const progress = io.stderr.isTTY && format !== 'json' ? (m: string) => io.stderr.write(`\u001b[2m… ${m}\u001b[0m\n`) : undefined
    let result
    try {
      result = await runNormalizedDrill({ ...options, onProgress: progress, signal: io.signal })
    } catch (error) {
      if (io.signal.aborted) {
        io.stderr.write('koinonia-db drill: interrupted; the restored copy was stopped and removed\n')
        return 130
      }
      throw error
    }
    const report = format === 'json' ? drillToJson(result) : format === 'markdown' ? drillToMarkdown(result) : drillToPretty(result, { color: Boolean(io.stderr.isTTY) })
    if (output) writeFileSync(output, report)
    else if (format === 'pretty') io.stderr.write(report)
    else io.stdout.write(report)
    if (options.historyFile && format === 'pretty') {
      const trend = drillTrend(readDrillHistory(options.historyFile), result)
      io.stderr.write(`  history   ${trend.passed}/${trend.drills} passed; RTO over the last drills: ${trend.rtoSeconds.join(', ')} s${trend.rtoChange ? ` (latest ×${trend.rtoChange} of the median)` : ''}\n`)
    }
    return result.verdict === 'pass' ? 0 : 1
  },
}
