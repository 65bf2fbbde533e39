import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { UsageError } from '../errors.js'

const run = promisify(execFile)

/** Runs git in `cwd` and returns stdout; a failure becomes a UsageError that quotes git. */
export async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })
    return stdout
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim()
    throw new UsageError('KDB_GIT_FAILED', `git ${args.join(' ')} failed: ${stderr}`, {
      hint: 'Run inside a git repository; for --since, fetch the ref first (e.g. `git fetch origin main`).',
      cause: error,
    })
  }
}

export async function repoRoot(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim()
}
