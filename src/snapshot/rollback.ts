import type pg from 'pg'
import { generateDownScript } from '../migrations/index.js'
import type { Migration, MigrationProject } from '../migrations/index.js'
import { fingerprintTable, type Baseline } from './baseline.js'
import { readCatalog } from './catalog.js'
import { describeSchema, diffSchemas } from './schema-description.js'
import type { RollbackResult } from './types.js'

export interface RollbackOptions {
  /** Maintenance URL of the server: Prisma down scripts are generated in scratch databases there. */
  serverUrl: string
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

/**
 * Runs the down migrations of `applied` in reverse order, then proves the database is back to the
 * baseline: the same schema description and, for every table, the same row count and fingerprints.
 * A down script that restores the schema but not the data (drop + re-add a column) fails the proof.
 */
export async function rollbackAndProve(client: pg.ClientBase, project: MigrationProject, applied: Migration[], baseline: Baseline, options: RollbackOptions): Promise<RollbackResult> {
  const result: RollbackResult = { ran: false, schemaMatches: null, dataMatches: null, skippedReason: null, migrations: [], schemaDifferences: [], dataDifferences: [] }
  if (!applied.length) {
    result.skippedReason = 'no migration was applied'
    return result
  }
  const scripts: Array<{ migration: Migration; sql: string | null; source: 'down.sql' | 'generated' | 'none'; error: string | null }> = []
  for (const migration of [...applied].reverse()) {
    options.signal?.throwIfAborted()
    if (migration.downSql !== null) scripts.push({ migration, sql: migration.downSql, source: 'down.sql', error: null })
    else if (project.kind === 'prisma') {
      options.onProgress?.(`generating the down script of ${migration.name}`)
      try {
        scripts.push({ migration, sql: await generateDownScript(options.serverUrl, project, migration), source: 'generated', error: null })
      } catch (error) {
        scripts.push({ migration, sql: null, source: 'none', error: `cannot generate a down script: ${(error as Error).message}` })
      }
    } else scripts.push({ migration, sql: null, source: 'none', error: 'no down script (write down.sql or <name>.down.sql beside it)' })
  }
  const missing = scripts.filter((s) => s.sql === null)
  if (missing.length) {
    result.skippedReason = `no down script for ${missing.map((s) => s.migration.name).join(', ')}`
    result.migrations = scripts.map((s) => ({ name: s.migration.name, source: s.source, status: 'skipped', error: s.error }))
    return result
  }
  result.ran = true
  let failed = false
  for (const script of scripts) {
    options.signal?.throwIfAborted()
    if (failed) {
      result.migrations.push({ name: script.migration.name, source: script.source, status: 'skipped', error: null })
      continue
    }
    options.onProgress?.(`rolling back ${script.migration.name} (${script.source})`)
    try {
      // One query: the down script is atomic, as the up script is in single-query mode.
      await client.query(script.sql!)
      await forget(client, project, script.migration)
      result.migrations.push({ name: script.migration.name, source: script.source, status: 'applied', error: null })
    } catch (error) {
      failed = true
      await client.query('ROLLBACK').catch(() => undefined)
      result.migrations.push({ name: script.migration.name, source: script.source, status: 'failed', error: (error as Error).message })
    }
  }
  result.schemaDifferences = diffSchemas(baseline.schema, await describeSchema(client))
  result.dataDifferences = await diffData(client, baseline)
  result.schemaMatches = result.schemaDifferences.length === 0
  result.dataMatches = result.dataDifferences.length === 0
  return result
}

async function forget(client: pg.ClientBase, project: MigrationProject, migration: Migration): Promise<void> {
  const sql = project.kind === 'prisma' ? 'DELETE FROM _prisma_migrations WHERE migration_name = $1' : 'DELETE FROM koinonia_migrations WHERE name = $1'
  await client.query(sql, [migration.name]).catch(() => undefined)
}

/** Differences between the data now and the baseline, one sentence per table or column. */
export async function diffData(client: pg.ClientBase, baseline: Baseline): Promise<string[]> {
  const out: string[] = []
  const catalog = new Map((await readCatalog(client)).map((t) => [t.key, t]))
  for (const [name, before] of Object.entries(baseline.tables)) {
    const table = catalog.get(name)
    if (!table) {
      out.push(`table "${name}" is gone (${before.rows} rows)`)
      continue
    }
    const columns = Object.keys(before.columns).filter((c) => table.columns.some((x) => x.name === c))
    const now = await fingerprintTable(client, table.sql, columns)
    if (now.rows !== before.rows) out.push(`"${name}" has ${now.rows} rows, the baseline ${before.rows}`)
    for (const c of columns) {
      const [b, a] = [before.columns[c], now.columns[c]]
      if (a.nonNull !== b.nonNull) out.push(`"${name}"."${c}" has ${a.nonNull} non-null values, the baseline ${b.nonNull}`)
      else if (a.fingerprint !== b.fingerprint) out.push(`"${name}"."${c}" values differ from the baseline`)
    }
    if (columns.length === Object.keys(before.columns).length && now.rows === before.rows && now.rowFingerprint !== before.rowFingerprint && !out.some((l) => l.startsWith(`"${name}".`)))
      out.push(`"${name}" rows differ from the baseline (values moved between rows)`)
  }
  return out
}
