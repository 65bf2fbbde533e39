import { lintFiles } from '../../linter/lint.js'
import type { CliCommand } from '../command.js'

// Placeholder rendering; report/<format>.ts replaces it.
export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Classify every statement of migration files as safe or risky',
  usage: 'koinonia-db lint [files or folders ...] [--pg-version N] [--format pretty|json|sarif|github]',
  options: {
    'pg-version': { type: 'string' },
    format: { type: 'string', default: 'pretty' },
    'prisma-version': { type: 'string' },
  },
  async run(values, positionals, io) {
    const result = await lintFiles(positionals.length ? positionals : ['.'], {
      pgVersion: values['pg-version'] ? Number(values['pg-version']) : undefined,
      prismaVersion: values['prisma-version'] as string | undefined,
    })
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    if (result.summary.errors > 0) return 2
    return result.summary.risky > 0 ? 1 : 0
  },
}
