import { UsageError } from '../../errors.js'
import { parseArgsOptions } from '../../config/flag-spec.js'
import { REFRESH_STAGING_FLAGS } from '../../config/flags/sanitize-flags.js'
import { refreshStaging } from '../../sanitize/refresh-staging.js'
import { renderReport } from '../../sanitize/report.js'
import type { CliCommand } from '../command.js'
import { readFlags } from '../read-flags.js'
import { progressPrinter } from './sanitize.js'

export const refreshStagingCommand: CliCommand = {
  name: 'refresh-staging',
  summary: 'Dump production read-only, restore into staging, mask, scan; succeed only when clean',
  usage: 'koinonia-db refresh-staging --source URL --target URL --rules sanitize.yaml [--prisma schema.prisma] [--jobs N] [--key-env NAME] [--i-know-this-is-staging] [--format pretty|json|markdown] [--config PATH]',
  options: parseArgsOptions(REFRESH_STAGING_FLAGS),
  async run(values, _positionals, io) {
    const { options } = await readFlags(REFRESH_STAGING_FLAGS, values, io.cwd)
    const { format, config: _config, source, target, ...api } = options
    if (!source || !target)
      throw new UsageError('KDB_REFRESH_URLS', 'both --source and --target are required', { hint: 'refresh-staging --source postgres://prod… --target postgres://staging… (or sanitize.source / sanitize.target in koinonia.config.*)' })
    const progress = progressPrinter(io)
    const result = await refreshStaging({
      ...api, source, target, env: io.env, signal: io.signal,
      onProgress: (e) => (e.kind === 'restore' ? io.stderr.isTTY && io.stderr.write(`${e.message}\n`) : progress?.(e)),
    })
    ;(format === 'pretty' ? io.stderr : io.stdout).write(renderReport(result.report, format!))
    return result.ok ? 0 : 1
  },
}
