import { performance } from 'node:perf_hooks'
import type pg from 'pg'
import { newClient } from '../postgres/client.js'
import { EnvironmentError, UsageError } from '../errors.js'
import { applyLocated } from './apply-migration.js'
import {
  ensureMigrationsTable, PRISMA_ADVISORY_LOCK, prismaLogs, readAppliedMigrations, recordMigrationFailed,
  recordMigrationFinished, recordMigrationStarted,
} from './migrations-table.js'
import { planMigrations } from './plan-migrations.js'
import { loadSqlParser, locateStatements, type LocatedStatement } from './split-statements.js'
import type { Migration, MigrateOptions, MigrateResult, MigrationProject } from './types.js'

/**
 * Applies every pending migration in order on the database at `url`, bookkeeping exactly as
 * `prisma migrate deploy` does (advisory lock, a `_prisma_migrations` row written before each script,
 * finished or failed after it). Stops at the first failing migration; that failure is a result.
 * @example
 * const result = await migrateToLatest(url, await discoverMigrations({ cwd: '.' }))
 */
export async function migrateToLatest(url: string, project: MigrationProject, options: MigrateOptions = {}): Promise<MigrateResult> {
  const client = newClient({ connectionString: url })
  try {
    await client.connect()
  } catch (error) {
    throw new EnvironmentError('KDB_PG_CONNECT', `cannot connect to ${redact(url)}: ${(error as Error).message}`, {
      cause: error, hint: 'Check that the server is running and the URL (host, port, database, user) is right.',
    })
  }
  try {
    return await migrateWith(client, project, options)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The same as migrateToLatest on a client you own (it stays connected). */
export async function migrateWith(client: pg.ClientBase, project: MigrationProject, options: MigrateOptions = {}): Promise<MigrateResult> {
  const started = performance.now()
  if (project.kind === 'prisma') await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK])
  try {
    await ensureMigrationsTable(client, project)
    const plan = planMigrations(project, await readAppliedMigrations(client, project))
    const todo = selectPending(plan.pending, options)
    // A file that does not parse is reported before anything runs, and before a row is written for it.
    await loadSqlParser()
    const located = todo.map((migration) => locateStatements(migration.upSql, migration.upPath))
    const results = []
    for (const [i, migration] of todo.entries()) {
      if (options.signal?.aborted) break
      const result = await applyAndRecord(client, migration, located[i], project, options)
      results.push(result)
      await options.onMigration?.(result)
      if (result.status === 'failed') break
    }
    return {
      alreadyApplied: plan.applied.map((m) => m.name),
      results,
      ok: results.every((r) => r.status === 'applied') && results.length === todo.length,
      durationMs: performance.now() - started,
    }
  } finally {
    if (project.kind === 'prisma') await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined)
  }
}

async function applyAndRecord(client: pg.ClientBase, migration: Migration, statements: LocatedStatement[], project: MigrationProject, options: MigrateOptions) {
  if (project.kind === 'sql') {
    const result = await applyLocated(client, migration, statements, project, options)
    if (result.status === 'applied')
      await client.query('INSERT INTO koinonia_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum])
    return result
  }
  const id = await recordMigrationStarted(client, migration)
  const result = await applyLocated(client, migration, statements, project, options)
  if (result.status === 'applied') await recordMigrationFinished(client, id)
  else await recordMigrationFailed(client, id, prismaLogs(migration, result))
  return result
}

function selectPending(pending: Migration[], options: MigrateOptions): Migration[] {
  let out = pending
  if (options.to !== undefined) {
    const at = out.findIndex((m) => m.name === options.to)
    if (at < 0) throw new UsageError('KDB_UNKNOWN_MIGRATION', `no pending migration named ${options.to}`, {
      hint: `Pending migrations: ${pending.map((m) => m.name).join(', ') || 'none'}.`,
    })
    out = out.slice(0, at + 1)
  }
  if (options.limit !== undefined) out = out.slice(0, options.limit)
  return out
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}
