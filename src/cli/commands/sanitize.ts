import { dirname, resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { checkCoverage } from '../../sanitize/coverage.js'
import { REPORT_FORMATS, renderCoverage, renderReport, type ReportFormat } from '../../sanitize/report.js'
import { runSanitize, type SanitizeProgress } from '../../sanitize/run.js'
import { scanForLeaks } from '../../sanitize/scan.js'
import { suggestRules } from '../../sanitize/suggest.js'
import type { CliCommand, CliIo } from '../command.js'

const ACTIONS = ['suggest', 'check', 'run', 'scan'] as const

export function formatOf(values: Record<string, unknown>): ReportFormat {
  const format = String(values.format ?? 'pretty') as ReportFormat
  if (!REPORT_FORMATS.includes(format)) throw new UsageError('KDB_BAD_FORMAT', `unknown --format "${format}"`, { hint: `Use one of: ${REPORT_FORMATS.join(', ')}.` })
  return format
}

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
  }
}

function target(values: Record<string, unknown>): string {
  if (typeof values.target !== 'string') throw new UsageError('KDB_SANITIZE_NO_TARGET', 'missing --target URL', { hint: 'Pass --target postgres://… (the restored copy, never production).' })
  return values.target
}

export const sanitizeCommand: CliCommand = {
  name: 'sanitize',
  summary: 'Mask personal data in a restored copy: suggest | check | run | scan',
  usage: 'koinonia-db sanitize <suggest|check|run|scan> --target URL [--rules sanitize.yaml] [--prisma schema.prisma] [--jobs N] [--key-env NAME] [--sample-rows N] [--unique-check before|rebuild] [--no-scan] [--format pretty|json|markdown]',
  options: {
    target: { type: 'string' },
    rules: { type: 'string' },
    prisma: { type: 'string' },
    jobs: { type: 'string' },
    'key-env': { type: 'string' },
    'sample-rows': { type: 'string' },
    'unique-check': { type: 'string' },
    'no-scan': { type: 'boolean', default: false },
    format: { type: 'string', default: 'pretty' },
  },
  async run(values, positionals, io) {
    const action = positionals[0] as (typeof ACTIONS)[number]
    if (!ACTIONS.includes(action)) throw new UsageError('KDB_SANITIZE_ACTION', `unknown sanitize action "${positionals[0] ?? ''}"`, { hint: `Use one of: ${ACTIONS.join(', ')}.` })
    const format = formatOf(values)
    const url = target(values)
    // --rules, else the config's sanitize.rules (relative to the config file).
    const { loadConfig } = await import('../../config/load-config.js')
    const { config, path: configPath } = await loadConfig({ cwd: io.cwd })
    const configRules = config.sanitize?.rules && configPath ? resolve(dirname(configPath), config.sanitize.rules) : undefined
    const rules = { rules: (values.rules as string | undefined) ?? configRules, prismaSchema: values.prisma as string | undefined }
    const env = io.env
    const keyEnv = values['key-env'] as string | undefined
    if (action === 'suggest') {
      const result = await suggestRules({ url, sampleRows: values['sample-rows'] ? Number(values['sample-rows']) : undefined })
      io.stdout.write(format === 'json' ? `${JSON.stringify({ version: 1, ...result }, null, 2)}\n` : result.yaml)
      return 0
    }
    if (action === 'check') {
      const result = await checkCoverage({ url, ...rules })
      ;(format === 'json' ? io.stdout : io.stderr).write(renderCoverage(result, format))
      return result.ok ? 0 : 1
    }
    if (action === 'scan') {
      const { leaks, summary } = await scanForLeaks({ url, ...rules, env, keyEnv })
      if (format === 'json') io.stdout.write(`${JSON.stringify({ version: 1, ok: !leaks.length, leaks, scan: summary }, null, 2)}\n`)
      else io.stderr.write(`${leaks.length ? `${leaks.length} leak(s)` : 'no leak'} (${summary.fingerprints} fingerprints, ${summary.columnsScanned} columns)\n${leaks.map((l) => `  ✗ ${l.table}.${l.column} row ${l.key}: ${l.kind}\n`).join('')}`)
      return leaks.length ? 1 : 0
    }
    const jobs = values.jobs === undefined ? config.sanitize?.jobs : Number(values.jobs)
    if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError('KDB_BAD_JOBS', `--jobs must be a whole number ≥ 1, got ${values.jobs}`)
    const uniqueCheck = (values['unique-check'] ?? 'before') as 'before' | 'rebuild'
    if (!['before', 'rebuild'].includes(uniqueCheck)) throw new UsageError('KDB_BAD_UNIQUE_CHECK', `--unique-check must be before or rebuild, got ${uniqueCheck}`)
    const report = await runSanitize({ url, ...rules, env, keyEnv, jobs, uniqueCheck, scan: !values['no-scan'], signal: io.signal, onProgress: progressPrinter(io) })
    ;(format === 'pretty' ? io.stderr : io.stdout).write(renderReport(report, format))
    return report.ok ? 0 : 1
  },
}
