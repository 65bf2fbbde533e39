import type { CpuTimes } from '../linter/second-core.js'
import type { TailWorker } from '../linter/tail-worker.js'
import { runCli } from './run-cli.js'

export { runCli }

/**
 * The bin's worker for a large file (parse-tail.ts adoptTailWorker). Loaded on demand: parse-tail
 * loads the parser, which other commands never need.
 */
export async function adoptTailWorker(tail: TailWorker, since: CpuTimes): Promise<void> {
  ;(await import('../linter/parse-tail.js')).adoptTailWorker(tail, since)
}

/**
 * The `koinonia-db` process: runCli with this process's streams, signals and exit code. The entry
 * of the CLI's bundle (scripts/bundle-cli.mjs), which the bin loads through its code cache (main.ts).
 */
export async function startCli(): Promise<void> {
  // A reader that goes away (`koinonia-db lint | head`) is not an error of ours: nothing more can be
  // shown, and the exit code still says what the command found.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error
    })
  }

  const controller = new AbortController()
  let interrupted = 0
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // First Ctrl-C: stop gracefully and clean up; a second one gives up waiting.
      interrupted++
      if (interrupted > 1) process.exit(130)
      controller.abort(new Error(`interrupted by ${signal}`))
    })
  }

  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: process.stdin is set up on first access, and only `lint -` reads it.
    get stdin() {
      return process.stdin
    },
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  })
  process.exitCode = controller.signal.aborted ? 130 : code
}
