import type { ParseArgsConfig } from 'node:util'

/** What a command may touch of the outside world: injected so tests can capture it. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  cwd: string
  env: NodeJS.ProcessEnv
  /** What `lint -` reads; absent where a command runs without one. */
  stdin?: NodeJS.ReadableStream
  /** Aborted on Ctrl-C: long commands stop and clean up. */
  signal: AbortSignal
}

export interface CliCommand {
  name: string
  summary: string
  /**
   * `node:util` parseArgs options: `parseArgsOptions(<COMMAND>_FLAGS)` from the command's flag table in
   * src/config/flags/, where each flag is also a config key and an API option of the same name.
   */
  options: NonNullable<ParseArgsConfig['options']>
  usage: string
  /** Returns the exit code: 0 clean, 1 findings or failed gate, 2 usage/input error, 3 environment error. */
  run(values: Record<string, unknown>, positionals: string[], io: CliIo): Promise<number>
}
