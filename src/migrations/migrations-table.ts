import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { tableExists } from '../postgres/table-exists.js'
import type { AppliedRow, ApplyResult, Migration, MigrationKind, MigrationProject } from './types.js'

/**
 * Byte for byte the table Prisma's schema engine creates (sql-schema-connector, postgres flavour),
 * so `prisma migrate deploy` run later on the same database finds nothing to do.
 */
export const PRISMA_MIGRATIONS_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`

/** Plain SQL projects: our own, minimal bookkeeping. */
export const KOINONIA_MIGRATIONS_DDL = `CREATE TABLE koinonia_migrations (
    name        TEXT PRIMARY KEY,
    checksum    VARCHAR(64) NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
`

/** The advisory lock key Prisma Migrate takes for the whole deploy; two deploys cannot interleave. */
export const PRISMA_ADVISORY_LOCK = 72707369

export function migrationsTableName(kind: MigrationKind): string {
  return kind === 'prisma' ? '_prisma_migrations' : 'koinonia_migrations'
}

type Kinded = { kind: MigrationKind } | MigrationProject

export async function ensureMigrationsTable(client: pg.ClientBase, project: Kinded): Promise<void> {
  if (await tableExists(client, migrationsTableName(project.kind))) return
  await client.query(project.kind === 'prisma' ? PRISMA_MIGRATIONS_DDL : KOINONIA_MIGRATIONS_DDL)
}

/**
 * Rows of the project's migrations table in the order they were started; [] when there is no table yet.
 * @example
 * const rows = await readAppliedMigrations(client, project)   // [{ name, checksum, finishedAt, ... }]
 */
export async function readAppliedMigrations(client: pg.ClientBase, project: Kinded): Promise<AppliedRow[]> {
  if (!(await tableExists(client, migrationsTableName(project.kind)))) return []
  if (project.kind === 'sql') {
    const { rows } = await client.query('SELECT name, checksum, applied_at FROM koinonia_migrations ORDER BY applied_at, name')
    return rows.map((r) => ({
      id: null, name: r.name, checksum: r.checksum, startedAt: r.applied_at, finishedAt: r.applied_at,
      rolledBackAt: null, logs: null, appliedStepsCount: null,
    }))
  }
  const { rows } = await client.query(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
       FROM _prisma_migrations ORDER BY started_at, migration_name`)
  return rows.map((r) => ({
    id: r.id, name: r.migration_name, checksum: r.checksum, startedAt: r.started_at, finishedAt: r.finished_at,
    rolledBackAt: r.rolled_back_at, logs: r.logs, appliedStepsCount: r.applied_steps_count,
  }))
}

/** Prisma inserts this row before running the script (record_migration_started); returns its id. */
export async function recordMigrationStarted(client: pg.ClientBase, migration: Migration, startedAt = new Date()): Promise<string> {
  const id = randomUUID()
  // Prisma sends its own clock (chrono::Utc::now()) as a parameter, not the server's now().
  await client.query('INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)',
    [id, migration.checksum, startedAt, migration.name])
  return id
}

/** Success: one step counted, then finished_at (record_successful_step + record_migration_finished). */
export async function recordMigrationFinished(client: pg.ClientBase, id: string): Promise<void> {
  await client.query('UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = $1', [id])
  await client.query('UPDATE _prisma_migrations SET finished_at = $2 WHERE id = $1', [id, new Date()])
}

/** Failure: the logs are set and finished_at stays null, which makes the next deploy stop with P3009. */
export async function recordMigrationFailed(client: pg.ClientBase, id: string, logs: string): Promise<void> {
  await client.query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, logs])
}

/**
 * Records a migration that was applied by `applyMigration` outside `migrateToLatest`: the row
 * Prisma would have left (finished or failed). Plain SQL projects record successes only.
 */
export async function recordMigration(client: pg.ClientBase, migration: Migration, result: ApplyResult): Promise<void> {
  await ensureMigrationsTable(client, migration)
  if (migration.kind === 'sql') {
    if (result.status === 'applied')
      await client.query('INSERT INTO koinonia_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum])
    return
  }
  // Written after the fact: started_at is when the run began, as if the row had been written then.
  const id = await recordMigrationStarted(client, migration, new Date(Date.now() - result.durationMs))
  if (result.status === 'applied') await recordMigrationFinished(client, id)
  else await recordMigrationFailed(client, id, prismaLogs(migration, result))
}

/** The logs text, shaped like Prisma's P3018 message so humans reading the row recognise it. */
export function prismaLogs(migration: Migration, result: ApplyResult): string {
  const e = result.error
  if (!e) return ''
  return `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${migration.name}\n\nDatabase error code: ${e.code ?? 'none'}\n\nDatabase error:\n${e.message}${e.line ? `\n\nPosition: line ${e.line}` : ''}`
}
