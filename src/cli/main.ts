#!/usr/bin/env node
import { runCli } from './run-cli.js'

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
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
})
process.exitCode = controller.signal.aborted ? 130 : code
