import type pg from 'pg'
import type { CatalogTable } from './catalog.js'
import { tableSql } from './row-key.js'

/** A table, or a block range of it: `[first, end)` pages, `end` null for "to the last page". */
export interface ScanChunk {
  table: CatalogTable
  pages: number
  range: [number, number | null] | null
}

/** 32 MiB of 8 KiB pages: below this a second connection costs more than it saves. */
const MIN_CHUNK_PAGES = 4096

/**
 * Splits big tables into `jobs` block ranges scanned by TID range scans (Postgres 14+; older servers
 * scan each table whole). The last range is open-ended, so pages added since the size was read
 * are scanned too.
 */
export async function planChunks(client: pg.Client, tables: CatalogTable[], jobs: number, minPages = MIN_CHUNK_PAGES): Promise<ScanChunk[]> {
  // Every table's size and the server version in one round trip.
  const { rows } = await client.query(`SELECT current_setting('server_version_num')::int AS version,
    array(SELECT pg_relation_size(t::regclass) / current_setting('block_size')::int FROM unnest($1::text[]) WITH ORDINALITY u(t, i) ORDER BY i) AS pages`,
  [tables.map((t) => tableSql(t.qualified))])
  const version = Number(rows[0].version)
  const chunks: ScanChunk[] = []
  for (const [i, table] of tables.entries()) {
    const pages = Number(rows[0].pages[i])
    const parts = jobs > 1 && version >= 140000 ? Math.min(jobs, Math.floor(pages / Math.max(1, minPages))) : 1
    if (parts <= 1) {
      chunks.push({ table, pages, range: null })
      continue
    }
    const size = Math.ceil(pages / parts)
    for (let i = 0; i < parts; i++) chunks.push({ table, pages: size, range: [i * size, i === parts - 1 ? null : (i + 1) * size] })
  }
  return chunks
}
