import type { CliCommand } from '../command.js'
import { drillCommand } from './drill.js'
import { initCommand } from './init.js'
import { lintCommand } from './lint.js'
import { rulesCommand } from './rules.js'
import { verifyCommand } from './verify.js'

/** Every CLI command. Add a command: one file in this folder, one line here. */
export const COMMANDS: CliCommand[] = [
  drillCommand,
  lintCommand,
  rulesCommand,
  initCommand,
  verifyCommand,
]
