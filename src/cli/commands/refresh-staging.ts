import { UsageError } from '../../errors.js'
import { refreshStaging } from '../../sanitize/refresh-staging.js'
import { renderReport } from '../../sanitize/report.js'
import type { CliCommand } from '../command.js'
import { formatOf, progressPrinter } from './sanitize.js'

export const refreshStagingCommand: CliCommand = {
  name: 'refresh-staging',
  summary: 'Dump production read-only, restore into staging, mask, scan; succeed only when clean',
  usage: 'koinonia-db refresh-staging --source URL --target URL --rules sanitize.yaml [--prisma schema.prisma] [--jobs N] [--key-env NAME] [--i-know-this-is-staging] [--format pretty|json|markdown]',
  options: {
    source: { type: 'string' },
    target: { type: 'string' },
    rules: { type: 'string' },
    prisma: { type: 'string' },
    jobs: { type: 'string' },
    'key-env': { type: 'string' },
    'i-know-this-is-staging': { type: 'boolean', default: false },
    format: { type: 'string', default: 'pretty' },
  },
  async run(values, _positionals, io) {
    const format = formatOf(values)
    if (typeof values.source !== 'string' || typeof values.target !== 'string')
      throw new UsageError('KDB_REFRESH_URLS', 'both --source and --target are required', { hint: 'refresh-staging --source postgres://prod… --target postgres://staging…' })
    const jobs = values.jobs === undefined ? undefined : Number(values.jobs)
    if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError('KDB_BAD_JOBS', `--jobs must be a whole number ≥ 1, got ${values.jobs}`)
    const progress = progressPrinter(io)
    const result = await refreshStaging({
      source: values.source, target: values.target, rules: values.rules as string | undefined, prismaSchema: values.prisma as string | undefined,
      iKnowThisIsStaging: Boolean(values['i-know-this-is-staging']), jobs, keyEnv: values['key-env'] as string | undefined, env: io.env, signal: io.signal,
      onProgress: (e) => (e.kind === 'restore' ? io.stderr.isTTY && io.stderr.write(`${e.message}\n`) : progress?.(e)),
    })
    ;(format === 'pretty' ? io.stderr : io.stdout).write(renderReport(result.report, format))
    return result.ok ? 0 : 1
  },
}
