import { readFileSync } from 'node:fs'
import { migrationSortKey, migrationsFolderOf, siblingMigrations } from './discover.js'
import { ColumnTypes } from './column-types.js'
import { recordHistory, type SchemaHistory } from './engine.js'
import { historySignature, readHistoryCache, writeHistoryCache } from './history-cache.js'

/**
 * The schema each migration starts from, per migrations folder. Linting one new migration (the
 * pre-commit case) still knows the column types its ALTER ... TYPE starts from: the earlier
 * migrations of its folder are read (parsed, not judged) first.
 */
export class FolderHistories {
  private readonly folders = new Map<string, { history: SchemaHistory; last: string; siblings: string[] }>()

  constructor(private readonly pgVersion: number) {}

  /** The history for `path`, with every earlier, not yet seen migration of its folder recorded. */
  before(path: string): SchemaHistory {
    const folder = migrationsFolderOf(path)
    const key = migrationSortKey(path)
    let entry = this.folders.get(folder)
    if (!entry) {
      entry = { history: { columnTypes: new ColumnTypes() }, last: '', siblings: this.list(folder) }
      this.folders.set(folder, entry)
    }
    if (key > entry.last) {
      const after = entry.last
      const earlier = entry.siblings.filter((p) => migrationSortKey(p) > after && migrationSortKey(p) < key)
      // The pre-commit case: the whole history before one new migration, the same on every run.
      const signature = after === '' && earlier.length > 0 ? safeSignature(earlier) : null
      const cached = signature ? readHistoryCache(folder, signature) : null
      if (cached) entry.history.columnTypes = cached
      else {
        for (const file of earlier) {
          try {
            recordHistory(readFileSync(file, 'utf8'), entry.history, this.pgVersion)
          } catch {
            // An unreadable earlier migration only costs knowledge of its types.
          }
        }
        if (signature) writeHistoryCache(folder, signature, entry.history.columnTypes)
      }
      entry.last = key
    }
    return entry.history
  }

  private list(folder: string): string[] {
    try {
      return siblingMigrations(folder)
    } catch {
      return []
    }
  }
}

function safeSignature(files: string[]): string | null {
  try {
    return historySignature(files)
  } catch {
    return null
  }
}
