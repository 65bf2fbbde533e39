import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { InputError, UsageError } from '../../errors.js'
import { connectClient } from '../../postgres/client.js'
import { execOn } from '../../postgres/cluster-handle.js'
import { quoteIdent } from '../../postgres/sql.js'
import { applyMigration } from '../apply-migration.js'
import type { Migration, MigrationProject } from '../types.js'
import { diffSchemas } from './diff-schemas.js'
import { introspectSchema, type SchemaDescription } from './introspect-schema.js'

export interface GenerateDownOptions {
  /** Keep the scratch database, migrated through the last requested migration (for debugging). Default false. */
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
 * and emits the DDL that takes the second schema back to the first. The script is then run on the
 * migrated database in a transaction that is rolled back, and the result compared with the first
 * description, so a returned script is a checked one.
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
 * forward migration by migration, over one connection; at each requested one it is described before
 * and after, and the script is checked inside a transaction that is rolled back. Results come in
 * history order.
 */
export async function generateDowns(serverUrl: string, project: MigrationProject, migrations: Migration[], options: GenerateDownOptions = {}): Promise<DownScript[]> {
  const indexes = [...new Set(migrations.map((migration) => {
    const index = project.migrations.findIndex((m) => m.name === migration.name)
    if (index < 0) throw new UsageError('KDB_UNKNOWN_MIGRATION', `${migration.name} is not a migration of ${project.migrationsDir}`, {
      hint: 'Pass migrations from project.migrations.',
    })
    return index
  }))].sort((a, b) => a - b)
  const walk = `kdb_down_${randomBytes(4).toString('hex')}_walk`
  await execOn(serverUrl, `CREATE DATABASE ${quoteIdent(walk)}`)
  try {
    await using client = await connectClient({ connectionString: databaseUrl(serverUrl, walk) })
    return await walkHistory(client, project, indexes)
  } finally {
    if (!options.keepDatabases) await execOn(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(walk)} WITH (FORCE)`).catch(() => undefined)
  }
}

async function walkHistory(client: pg.ClientBase, project: MigrationProject, indexes: number[]): Promise<DownScript[]> {
  const out: DownScript[] = []
  let next = 0
  for (const index of indexes) {
    const migration = project.migrations[index]
    await replay(client, project, project.migrations.slice(next, index))
    const target = await describe(client)
    await replay(client, project, [migration])
    next = index + 1
    const { statements, warnings } = diffSchemas(await describe(client), target)
    const sql = render(migration, statements, warnings)
    const differences = await check(client, sql, target)
    out.push({ migration: migration.name, sql, statements, warnings, verified: differences.length === 0, differences })
  }
  return out
}

/**
 * Applies migrations in order, each as the project's Prisma would send it; only the schema they leave
 * matters here, so no migrations table is kept.
 */
async function replay(client: pg.ClientBase, project: MigrationProject, migrations: Migration[]): Promise<void> {
  for (const migration of migrations) {
    const { error } = await applyMigration(client, migration, project, { locateFailure: false })
    if (error) throw new InputError('KDB_DOWN_HISTORY_FAILED', `cannot build the schema history: ${migration.name} fails on an empty database: ${error.message}`, {
      file: migration.upPath, line: error.line ?? undefined,
      hint: 'A down script is computed by replaying the history from scratch; fix that migration (or write a down.sql by hand).',
    })
  }
}

/** The schema as a fresh session sees it: a SET left by a migration (search_path) must not change how names print. */
function describe(client: pg.ClientBase): Promise<SchemaDescription> {
  return rolledBack(client, () => introspectSchema(client))
}

/** Runs the script on the migrated database and lists what still differs from the target (column order aside); nothing stays. */
function check(client: pg.ClientBase, sql: string, target: SchemaDescription): Promise<string[]> {
  return rolledBack(client, async () => {
    try {
      await client.query(sql)
    } catch (error) {
      return [`the script fails on the migrated schema: ${(error as Error).message}`]
    }
    return compareSchemas(await introspectSchema(client), target)
  })
}

/** `work` inside a transaction that is always rolled back, with the session's settings at their defaults (RESET is undone too). */
async function rolledBack<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN; RESET ALL')
  try {
    return await work()
  } finally {
    await client.query('ROLLBACK')
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
