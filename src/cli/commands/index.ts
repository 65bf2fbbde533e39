import type { CliCommand } from '../command.js'

/**
 * A command's module is imported only when that command runs: `lint` in a pre-commit hook must not
 * load Postgres, Prisma or container code (the hook's budget is 400 ms from process start to exit).
 */
export interface CommandEntry {
  name: string
  load(): Promise<CliCommand>
}

/** Every CLI command. Add a command: one file in this folder, one line here (name = file name). */
export const COMMANDS: CommandEntry[] = [
  { name: 'drill', load: async () => (await import('./drill.js')).drillCommand },
  { name: 'lint', load: async () => (await import('./lint.js')).lintCommand },
  { name: 'rules', load: async () => (await import('./rules.js')).rulesCommand },
  { name: 'init', load: async () => (await import('./init.js')).initCommand },
  { name: 'verify', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'sanitize', load: async () => (await import('./sanitize.js')).sanitizeCommand },
  { name: 'sweep', load: async () => (await import('./sweep.js')).sweepCommand },
  { name: 'refresh-staging', load: async () => (await import('./refresh-staging.js')).refreshStagingCommand },
]
