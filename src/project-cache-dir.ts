import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

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

/** A temp file this old was left by a process that was killed while writing it; a younger one may be being written. */
const STALE_MS = 10 * 60 * 1000

/**
 * Writes a cache file whole: a temp file renamed over it, so a reader never sees half of one. Temp
 * files of it that killed processes left behind go first. Throws like writeFileSync: callers treat
 * a cache that cannot be written as no cache.
 */
export function replaceCacheFile(file: string, data: string | Uint8Array): void {
  const dir = dirname(file)
  mkdirSync(dir, { recursive: true })
  const prefix = `${basename(file)}.`
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue
    try {
      if (statSync(join(dir, name)).mtimeMs < Date.now() - STALE_MS) rmSync(join(dir, name), { force: true })
    } catch {
      // gone already: its writer renamed it
    }
  }
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}
