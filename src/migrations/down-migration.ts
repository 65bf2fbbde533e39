import { migrationChecksum } from './checksum.js'
import type { Migration } from './types.js'

/**
 * A migration's down script as a Migration of its own, so it runs through `applyMigration` (same
 * strategies, hooks and error positions) like any forward step. `sql` overrides the file (e.g. a
 * script from generateDownScript); null when there is neither.
 */
export function downMigration(migration: Migration, sql?: string): Migration | null {
  const text = sql ?? migration.downSql
  if (text === null || text === undefined) return null
  return {
    name: `${migration.name} (down)`,
    kind: migration.kind,
    upPath: sql === undefined && migration.downPath ? migration.downPath : `${migration.name}/down.sql (generated)`,
    upSql: text,
    downPath: null,
    downSql: null,
    checksum: migrationChecksum(text),
  }
}
