import { parseArgs } from 'node:util'
import { KoinoniaError, exitCodeFor, EXIT } from '../errors.js'
import { packageVersion } from '../package-version.js'
import type { CliIo } from './command.js'
import { COMMANDS } from './commands/index.js'

/** Loads every command for its summary: help is rare, a fast `lint` is not. */
async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()))
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'Usage: koinonia-db <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `koinonia-db <command> --help` for a command\'s options.',
    'Exit codes: 0 clean, 1 findings or failed gate, 2 usage or input error, 3 environment error.',
  ].join('\n')
}

/** The whole CLI as a function: parses argv, runs a command, returns its exit code. Never exits. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ;(name ? io.stdout : io.stderr).write(`${await help()}\n`)
    return name ? EXIT.ok : EXIT.usage
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`)
    return EXIT.ok
  }
  const entry = COMMANDS.find((c) => c.name === name)
  if (!entry) {
    io.stderr.write(`koinonia-db: unknown command "${name}"\n\n${await help()}\n`)
    return EXIT.usage
  }
  const command = await entry.load()
  let parsed
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    io.stderr.write(`koinonia-db ${name}: ${(error as Error).message}\nUsage: ${command.usage}\n`)
    return EXIT.usage
  }
  if (parsed.values.help) {
    io.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`)
    return EXIT.ok
  }
  try {
    return await command.run(parsed.values, parsed.positionals, io)
  } catch (error) {
    io.stderr.write(`${describeError(name, error)}\n`)
    return exitCodeFor(error)
  }
}

export function describeError(command: string, error: unknown): string {
  if (error instanceof KoinoniaError) {
    const where = error.where ? `${error.where}: ` : ''
    return `koinonia-db ${command}: ${where}${error.message} [${error.code}]${error.hint ? `\n  hint: ${error.hint}` : ''}`
  }
  return `koinonia-db ${command}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
}

