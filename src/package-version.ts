import { readFileSync } from 'node:fs'

let version: string | undefined

/**
 * koinonia-db's own version, from the package.json found upward from this module: src/, dist/ and
 * the CLI's one-file bundle (dist/cli/koinonia-db.cjs) sit at different depths below it.
 */
export function packageVersion(): string {
  if (version !== undefined) return version
  for (let url = new URL('package.json', import.meta.url); ; url = new URL('../package.json', url)) {
    let manifest: { name?: string; version?: string } | undefined
    try {
      manifest = JSON.parse(readFileSync(url, 'utf8'))
    } catch {
      // no package.json at this level
    }
    if (manifest?.name === 'koinonia-db') return (version = String(manifest.version))
    if (url.pathname === '/package.json') throw new Error(`koinonia-db's package.json was not found above ${import.meta.url}`)
  }
}
