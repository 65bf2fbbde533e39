// squawk, the peer the lint benches measure against. It is not a dependency of ours: squawk-cli's
// optional per-platform packages are not all published, which breaks `npm ci` from a lockfile.
// The first bench run installs the pinned version into bench/.tools (npm registry), later runs reuse it.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const VERSION = '2.66.0'
const TOOLS = fileURLToPath(new URL('.tools', import.meta.url))

export function squawkBin() {
  const bin = join(TOOLS, 'node_modules', '.bin', 'squawk')
  if (!existsSync(bin)) {
    console.error(`installing squawk-cli@${VERSION} into bench/.tools (once)`)
    execFileSync('npm', ['install', '--prefix', TOOLS, '--no-save', '--no-audit', '--no-fund', `squawk-cli@${VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  return bin
}
