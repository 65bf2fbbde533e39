import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { projectCacheDir, replaceCacheFile } from '../project-cache-dir.js'
import { ColumnTypes } from './column-types.js'

/**
 * The column types a folder's earlier migrations leave, cached between runs: a pre-commit lint at
 * the end of a long history would otherwise parse every earlier migration each time. Stored in the
 * project's cache folder (project-cache-dir.ts); no such folder, no cache.
 * The key covers every file's name, size and mtime, so any edit, addition or removal misses.
 */
const VERSION = 1

// Loaded when a history is first read: node:crypto takes 3–6 ms to load, and a lint of files
// without earlier migrations (a CI run over one large file) never needs it.
const require = createRequire(import.meta.url)
function createHash(algorithm: string): import('node:crypto').Hash {
  return (require('node:crypto') as typeof import('node:crypto')).createHash(algorithm)
}

export function historySignature(files: string[]): string {
  const hash = createHash('sha256').update(`v${VERSION}\n`)
  for (const file of files) {
    const st = statSync(file)
    hash.update(`${file}\0${st.size}\0${st.mtimeMs}\n`)
  }
  return hash.digest('hex')
}

function cacheFile(folder: string): string | null {
  const dir = projectCacheDir(folder)
  return dir ? join(dir, `history-${createHash('sha256').update(folder).digest('hex').slice(0, 16)}.json`) : null
}

export function readHistoryCache(folder: string, signature: string): ColumnTypes | null {
  const file = cacheFile(folder)
  if (!file || !existsSync(file)) return null
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'))
    return data.signature === signature ? ColumnTypes.fromEntries(data.columnTypes) : null
  } catch {
    return null
  }
}

/** Best effort: a read-only or full disk only means the next run parses again. */
export function writeHistoryCache(folder: string, signature: string, types: ColumnTypes): void {
  const file = cacheFile(folder)
  if (!file) return
  try {
    replaceCacheFile(file, JSON.stringify({ signature, columnTypes: types.toEntries() }))
  } catch {
    // not cached
  }
}
