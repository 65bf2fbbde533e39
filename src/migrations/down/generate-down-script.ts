import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { InputError, UsageError } from '../../errors.js'
import { execOn } from '../../postgres/cluster-handle.js'
import { quoteIdent } from '../../postgres/sql.js'
import { migrateWith } from '../migrate-to-latest.js'
import type { Migration, MigrationProject } from '../types.js'
import { diffSchemas } from './diff-schemas.js'
import { introspectSchema, type SchemaDescription } from './introspect-schema.js'
import { newClient } from '../../postgres/client.js'

export interface GenerateDownOptions {
  /** Keep the two scratch databases (for debugging). Default false. */
  keepDatabases?: boolean
}

export interface DownScript {
  migration: string
  /** The script, with Prisma-style warnings in a header comment. */
  sql: string
  statements: string[]
  warnings: string[]
  /** The script was run on a copy of the database after the migration and gave back the schema before it. */
  verified: boolean
  /** When not verified: what still differed. */
  differences: string[]
}

/**
 * A down script for a migration (Prisma has none): replays the history up to the migration's
 * predecessor into a scratch database and describes it, applies the migration and describes it again,
 * and emits the DDL that takes the second schema back to the first. The script is then run on a clone
 * and the result compared with the first description, so a returned script is a checked one.
 * @example
 * const sql = await generateDownScript(pg.url, project, project.migrations.at(-1)!)
 */
export async function generateDownScript(serverUrl: string, project: MigrationProject, migration: Migration, options: GenerateDownOptions = {}): Promise<string> {
  return (await generateDown(serverUrl, project, migration, options)).sql
}

export async function generateDown(serverUrl: string, project: MigrationProject, migration: Migration, options: GenerateDownOptions = {}): Promise<DownScript> {
  return (await generateDowns(serverUrl, project, [migration], options))[0]
}

/**
 * Down scripts for several migrations with one walk through the history: one scratch database moves
 * forward migration by migration; at each requested one it is described before and after, and the
 * script is checked on a clone. Results come in history order.
 */
export async function generateDowns(serverUrl: string, project: MigrationProject, migrations: Migration[], options: GenerateDownOptions = {}): Promise<DownScript[]> {
  const indexes = [...new Set(migrations.map((migration) => {
    const index = project.migrations.findIndex((m) => m.name === migration.name)
    if (index < 0) throw new UsageError('KDB_UNKNOWN_MIGRATION', `${migration.name} is not a migration of ${project.migrationsDir}`, {
      hint: 'Pass migrations from project.migrations.',
    })
    return index
  }))].sort((a, b) => a - b)
  const tag = `kdb_down_${randomBytes(4).toString('hex')}`
  const walk = `${tag}_walk`
  const walkUrl = databaseUrl(serverUrl, walk)
  const created = [walk]
  const out: DownScript[] = []
  try {
    await execOn(serverUrl, `CREATE DATABASE ${quoteIdent(walk)}`)
    let appliedThrough = -1
    for (const index of indexes) {
      const migration = project.migrations[index]
      if (index - 1 > appliedThrough) await replay(walkUrl, project, project.migrations[index - 1].name)
      const target = await describe(walkUrl)
      await replay(walkUrl, project, migration.name)
      appliedThrough = index
      const { statements, warnings } = diffSchemas(await describe(walkUrl), target)
      const sql = render(migration, statements, warnings)
      const probe = `${tag}_probe_${index}`
      await execOn(serverUrl, `CREATE DATABASE ${quoteIdent(probe)} TEMPLATE ${quoteIdent(walk)}`)
      created.push(probe)
      const differences = await check(databaseUrl(serverUrl, probe), sql, target)
      if (!options.keepDatabases) await execOn(serverUrl, `DROP DATABASE ${quoteIdent(probe)} WITH (FORCE)`)
      out.push({ migration: migration.name, sql, statements, warnings, verified: differences.length === 0, differences })
    }
    return out
  } finally {
    if (!options.keepDatabases)
      for (const db of created.reverse()) await execOn(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`).catch(() => undefined)
  }
}

/** Applies the history up to and including `through`. */
async function replay(url: string, project: MigrationProject, through: string): Promise<void> {
  const client = newClient({ connectionString: url })
  await client.connect()
  try {
    // Each file runs as the project's Prisma would; only the outcome matters here.
    const result = await migrateWith(client, project, { to: through, locateFailure: false })
    const failed = result.results.find((r) => r.status === 'failed')
    if (failed) {
      const m = project.migrations.find((x) => x.name === failed.migration)
      throw new InputError('KDB_DOWN_HISTORY_FAILED', `cannot build the schema history: ${failed.migration} fails on an empty database: ${failed.error?.message}`, {
        file: m?.upPath, line: failed.error?.line ?? undefined,
        hint: 'A down script is computed by replaying the history from scratch; fix that migration (or write a down.sql by hand).',
      })
    }
  } finally {
    await client.end()
  }
}

async function describe(url: string): Promise<SchemaDescription> {
  const client = newClient({ connectionString: url })
  await client.connect()
  try {
    return await introspectSchema(client)
  } finally {
    await client.end()
  }
}

/** Runs the script on the clone and lists what still differs from the target (column order aside). */
async function check(url: string, sql: string, target: SchemaDescription): Promise<string[]> {
  const client = newClient({ connectionString: url })
  await client.connect()
  try {
    try {
      await client.query(sql)
    } catch (error) {
      return [`the script fails on the migrated schema: ${(error as Error).message}`]
    }
    return compareSchemas(await introspectSchema(client), target)
  } finally {
    await client.end()
  }
}

/** Differences between two descriptions, by section, ignoring the order of columns. */
export function compareSchemas(actual: SchemaDescription, expected: SchemaDescription): string[] {
  const out: string[] = []
  const normal = (d: SchemaDescription) => ({
    ...d,
    tables: d.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : 1)) })),
  })
  const [a, e] = [normal(actual), normal(expected)]
  for (const section of Object.keys(e) as Array<keyof SchemaDescription>) {
    const want = new Map((e[section] as unknown[]).map((x) => [JSON.stringify(x), x]))
    const have = new Map((a[section] as unknown[]).map((x) => [JSON.stringify(x), x]))
    for (const k of want.keys()) if (!have.has(k)) out.push(`${section}: missing ${k}`)
    for (const k of have.keys()) if (!want.has(k)) out.push(`${section}: unexpected ${k}`)
  }
  return out
}

function render(migration: Migration, statements: string[], warnings: string[]): string {
  const header = [`-- Down migration for ${migration.name}, generated by koinonia-db from the migration history.`]
  if (warnings.length) header.push('/*', '  Warnings:', '', ...warnings.map((w) => `  - ${w}`), '', '*/')
  if (statements.length === 0) header.push('-- The migration changed no schema object: nothing to undo.')
  return `${header.join('\n')}\n${statements.map((s) => `${s};\n`).join('\n')}`
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${encodeURIComponent(database)}`
  return url.toString()
}
