import { parseArgsOptions } from '../../config/flag-spec.js'
import { SWEEP_FLAGS } from '../../config/flags/sweep-flags.js'
import type { CliCommand } from '../command.js'
import { readFlags } from '../read-flags.js'

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'Remove what crashed runs left behind: temp clusters, labelled containers, scratch databases on a server',
  usage: [
    'koinonia-db sweep [--label L] [--url URL] [--format pretty|json] [--config PATH]',
    '',
    'Leftovers of runs that are still alive (here or in another process) are never touched.',
    '  --label L   only leftovers of this label',
    '  --url URL   also drop koinonia_* scratch databases whose owning process is gone on this server',
    '              (default: the config\'s url, the server verify uses)',
  ].join('\n'),
  options: parseArgsOptions(SWEEP_FLAGS),
  async run(values, _positionals, io) {
    const { options } = await readFlags(SWEEP_FLAGS, values, io.cwd)
    const { sweep } = await import('../../postgres/index.js')
    const result = await sweep({ label: options.label, url: options.url })
    if (options.format === 'json') {
      io.stdout.write(`${JSON.stringify({ version: 1, ...result }, null, 2)}\n`)
      return 0
    }
    const line = (what: string, items: unknown[]) => io.stderr.write(`${what}: ${items.length ? items.join(', ') : 'none'}\n`)
    line('folders removed', result.folders)
    line('servers stopped', result.servers)
    line('containers removed', result.containers)
    if (options.url) line('scratch databases dropped', result.databases)
    for (const s of result.skipped) io.stderr.write(`left alone: ${s.what} (${s.reason})\n`)
    return 0
  },
}
