import { relative } from 'node:path'
import { parseArgsOptions } from '../../config/flag-spec.js'
import { INIT_FLAGS } from '../../config/flags/init-flags.js'
import { initProject } from '../../init/init-project.js'
import type { CliCommand } from '../command.js'
import { readFlags } from '../read-flags.js'

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Write the config, a pre-commit hook and a GitHub Actions workflow for this project',
  usage: 'koinonia-db init [--force] [--pg-version N] [--format pretty|json]',
  options: parseArgsOptions(INIT_FLAGS),
  async run(values, _positionals, io) {
    // A config already there keeps its pgVersion when init runs again.
    const { options } = await readFlags(INIT_FLAGS, values, io.cwd)
    const { format, ...api } = options
    const result = await initProject({ ...api, cwd: io.cwd })
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      return 0
    }
    const p = result.project
    io.stderr.write(`Detected a ${p.kind === 'prisma' ? 'Prisma' : 'plain SQL'} project (${p.migrationsDir}), ${p.packageManager}, ${p.hooks} hooks.\n`)
    for (const f of result.files) io.stderr.write(`  ${f.action.padEnd(9)} ${relative(io.cwd, f.path)}${f.reason ? `  (${f.reason})` : ''}\n`)
    return 0
  },
}
