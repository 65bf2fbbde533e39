import { execFileSync } from 'node:child_process'

/**
 * Whether a command-line tool runs here (`<tool> --version`, or `versionArgs`, exits 0). When not, says
 * once on stderr which tests are skipped and how to install it, so a skip is never silent.
 */
export function toolAvailable(tool: string, skipped: string, install: string, versionArgs = ['--version']): boolean {
  try {
    execFileSync(tool, versionArgs, { stdio: 'ignore' })
    return true
  } catch {
    console.warn(`${tool} is not installed: skipping ${skipped} (${install})`)
    return false
  }
}
