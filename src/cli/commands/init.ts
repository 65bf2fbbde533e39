import { relative } from 'node:path'
import { initProject } from '../../init/init-project.js'
import type { CliCommand } from '../command.js'

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Write the config, a pre-commit hook and a GitHub Actions workflow for this project',
  usage: 'koinonia-db init [--force] [--pg-version N] [--format pretty|json]',
  options: {
    force: { type: 'boolean', default: false },
    'pg-version': { type: 'string' },
    format: { type: 'string', default: 'pretty' },
  },
  async run(values, _positionals, io) {
    const result = await initProject({
      cwd: io.cwd,
      force: values.force as boolean,
      pgVersion: values['pg-version'] ? Number(values['pg-version']) : undefined,
    })
    if (values.format === 'json') {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      return 0
    }
    const p = result.project
    io.stderr.write(`Detected a ${p.kind === 'prisma' ? 'Prisma' : 'plain SQL'} project (${p.migrationsDir}), ${p.packageManager}, ${p.hooks} hooks.\n`)
    for (const f of result.files) io.stderr.write(`  ${f.action.padEnd(9)} ${relative(io.cwd, f.path)}${f.reason ? `  (${f.reason})` : ''}\n`)
    return 0
  },
}
