import type { CliCommand } from '../command.js'

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'Remove what crashed runs left behind: temp clusters, labelled containers, scratch databases on a server',
  usage: [
    'koinonia-db sweep [--label L] [--url URL] [--format pretty|json]',
    '',
    'Leftovers of runs that are still alive (here or in another process) are never touched.',
    '  --label L   only leftovers of this label',
    '  --url URL   also drop koinonia_* scratch databases whose owning process is gone on this server',
  ].join('\n'),
  options: {
    label: { type: 'string' },
    url: { type: 'string' },
    format: { type: 'string', default: 'pretty' },
  },
  async run(values, _positionals, io) {
    const { sweep, sweepUrl } = await import('../../postgres/index.js')
    const result = await sweep({ label: values.label as string | undefined })
    const databases = values.url ? await sweepUrl(values.url as string) : []
    if (values.format === 'json') {
      io.stdout.write(`${JSON.stringify({ version: 1, ...result, databases }, null, 2)}\n`)
      return 0
    }
    const line = (what: string, items: unknown[]) => io.stderr.write(`${what}: ${items.length ? items.join(', ') : 'none'}\n`)
    line('folders removed', result.folders)
    line('servers stopped', result.servers)
    line('containers removed', result.containers)
    if (values.url) line('scratch databases dropped', databases)
    for (const s of result.skipped) io.stderr.write(`left alone: ${s.what} (${s.reason})\n`)
    return 0
  },
}
