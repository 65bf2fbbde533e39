import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * Where koinonia-db keeps what it caches between runs for a project: the `node_modules/.cache/koinonia-db`
 * of the nearest folder from `from` upwards that has a `node_modules` (as Babel and ESLint do); null
 * when there is none. Nothing is created here: writers make the folder when they write.
 */
export function projectCacheDir(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'koinonia-db')
    if (dirname(dir) === dir) return null
  }
}
