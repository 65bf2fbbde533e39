import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(REPO, 'dist/cli/main.cjs')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

/** The tests spawn the built binary, as a user runs it; rebuild when a source is newer than it. */
export function ensureBuilt(): void {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestMtime(join(REPO, 'src'))) return
  try {
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe' })
  } catch (error) {
    // tsc still emits when another area of the tree has a type error; our files are checked by tsc --noEmit.
    if (!existsSync(BIN)) throw error
    process.stderr.write(`warning: npm run build reported errors; testing the emitted dist\n${(error as { stdout?: Buffer }).stdout ?? ''}`)
  }
}

export interface BinResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  uid?: number
  gid?: number
  /** Written to the command's stdin, which is then closed (closed at once without it). */
  input?: string | Buffer
}

/** Runs `node dist/cli/main.cjs ...args` and collects its output and exit code. */
export function runBin(args: string[], options: RunOptions = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env }
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env, uid: options.uid, gid: options.gid })
    let stdout = ''
    let stderr = ''
    // Decoded across chunks: a chunk boundary can split a character's UTF-8 bytes (a large report
    // with non-ASCII text came back with U+FFFD pairs now and then).
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.stdin.on('error', () => {}) // a command that exits without reading its input
    child.stdin.end(options.input)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
