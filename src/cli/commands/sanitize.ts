import { UsageError } from '../../errors.js'
import { checkCoverage } from '../../sanitize/coverage.js'
import { renderCoverage, renderReport } from '../../sanitize/report.js'
import { runSanitize, type SanitizeProgress } from '../../sanitize/run.js'
import { scanForLeaks } from '../../sanitize/scan.js'
import { suggestRules } from '../../sanitize/suggest.js'
import { parseArgsOptions } from '../../config/flag-spec.js'
import { SANITIZE_FLAGS } from '../../config/flags/sanitize-flags.js'
import type { CliCommand, CliIo } from '../command.js'
import { readFlags } from '../read-flags.js'

const ACTIONS = ['suggest', 'check', 'run', 'scan'] as const

/** A one-line progress bar on a TTY; nothing otherwise (CI logs stay clean). */
export function progressPrinter(io: CliIo): ((e: SanitizeProgress) => void) | undefined {
  if (!io.stderr.isTTY) return undefined
  return (e) => {
    if (e.kind === 'plan') io.stderr.write(`masking ${e.tables} table(s) in ${e.groups} transaction(s)\n`)
    if (e.kind === 'table') {
      const width = 20
      const filled = Math.round((e.done / e.total) * width)
      io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total} ${e.report.name} ${e.report.status}\x1b[K${e.done === e.total ? '\n' : ''}`)
    }
    if (e.kind === 'scan') io.stderr.write('scanning for leaks…\n')
    if (e.kind === 'names') io.stderr.write('fingerprinting the masked full names and street lines scrub looks for…\n')
  }
}

/** `--target`, else the config's `sanitize.target`: required. */
function requireTarget(target: string | undefined): string {
  if (!target) throw new UsageError('KDB_SANITIZE_NO_TARGET', 'missing --target URL', { hint: 'Pass --target postgres://… (the restored copy, never production), or set sanitize.target in koinonia.config.*.' })
  return target
}

export const sanitizeCommand: CliCommand = {
  name: 'sanitize',
  summary: 'Mask personal data in a restored copy: suggest | check | run | scan',
  usage: 'koinonia-db sanitize <suggest|check|run|scan> --target URL [--rules sanitize.yaml] [--prisma schema.prisma] [--jobs N] [--key-env NAME] [--sample-rows N] [--unique-check before|rebuild] [--no-scan] [--format pretty|json|markdown] [--config PATH]',
  options: parseArgsOptions(SANITIZE_FLAGS),
  async run(values, positionals, io) {
    const action = positionals[0] as (typeof ACTIONS)[number]
    if (!ACTIONS.includes(action)) throw new UsageError('KDB_SANITIZE_ACTION', `unknown sanitize action "${positionals[0] ?? ''}"`, { hint: `Use one of: ${ACTIONS.join(', ')}.` })
    const { options } = await readFlags(SANITIZE_FLAGS, values, io.cwd)
    const { format: _format, config: _config, ...api } = options
    const format = options.format!
    const target = requireTarget(options.target)
    const env = io.env
    if (action === 'suggest') {
      const result = await suggestRules({ target, sampleRows: options.sampleRows })
      io.stdout.write(format === 'json' ? `${JSON.stringify({ version: 1, ...result }, null, 2)}\n` : result.yaml)
      return 0
    }
    if (action === 'check') {
      const result = await checkCoverage({ ...api, target })
      ;(format === 'json' ? io.stdout : io.stderr).write(renderCoverage(result, format))
      return result.ok ? 0 : 1
    }
    if (action === 'scan') {
      const { leaks, summary } = await scanForLeaks({ ...api, target, env })
      if (format === 'json') io.stdout.write(`${JSON.stringify({ version: 1, ok: !leaks.length, leaks, scan: summary }, null, 2)}\n`)
      else io.stderr.write(`${leaks.length ? `${leaks.length} leak(s)` : 'no leak'} (${summary.fingerprints} fingerprints, ${summary.columnsScanned} columns)\n${leaks.map((l) => `  ✗ ${l.table}.${l.column} row ${l.key}: ${l.kind}\n`).join('')}`)
      return leaks.length ? 1 : 0
    }
    const report = await runSanitize({ ...api, target, env, signal: io.signal, onProgress: progressPrinter(io) })
    ;(format === 'pretty' ? io.stderr : io.stdout).write(renderReport(report, format))
    return report.ok ? 0 : 1
  },
}
