import { performance } from 'node:perf_hooks'
import type pg from 'pg'
import { lineOfChar, loadSqlParser, locateStatements, type LocatedStatement } from './split-statements.js'
import type { ApplyError, ApplyOptions, ApplyResult, ApplyStrategy, Migration, MigrationProject, StatementRun } from './types.js'

/** The strategy a project's migrations run with when the caller does not choose one. */
export function defaultStrategy(project: Pick<MigrationProject, 'kind' | 'mode'>, wantsHooks: boolean): ApplyStrategy {
  if (project.kind === 'prisma' && project.mode === 'per-statement') return 'per-statement'
  return wantsHooks ? 'transaction' : 'single-query'
}

/**
 * Runs one migration's up SQL on `client` the way the project's Prisma would (see ApplyStrategy).
 * A failing statement is a result (`status: 'failed'`), not an exception; the client is left usable
 * (outside any transaction). Does not write the migrations table: see recordMigration / migrateToLatest.
 * @example
 * const result = await applyMigration(client, pending[0], project, { afterStatement: (s, ms) => log(s.line, ms) })
 * if (result.status === 'failed') console.error(result.error.message, 'at line', result.error.line)
 */
export async function applyMigration(client: pg.ClientBase, migration: Migration, project: Pick<MigrationProject, 'kind' | 'mode'>,
  options: ApplyOptions = {}): Promise<ApplyResult> {
  await loadSqlParser()
  return applyLocated(client, migration, locateStatements(migration.upSql, migration.upPath), project, options)
}

/** applyMigration with the file's statements already located (migrateWith parses every pending file before it runs any). */
export async function applyLocated(client: pg.ClientBase, migration: Migration, statements: LocatedStatement[],
  project: Pick<MigrationProject, 'kind' | 'mode'>, options: ApplyOptions = {}): Promise<ApplyResult> {
  const hooks = Boolean(options.beforeStatement || options.afterStatement)
  const strategy = options.strategy ?? defaultStrategy(project, hooks)
  const started = performance.now()
  const run = strategy === 'single-query' || (strategy === 'transaction' && statements.length <= 1)
    ? await runAsOneQuery(client, migration.upSql, statements, options)
    : strategy === 'transaction'
      ? await runInTransaction(client, migration.upSql, statements, options)
      : await runPerStatement(client, migration.upSql, statements, options)
  return {
    migration: migration.name,
    status: run.error ? 'failed' : 'applied',
    strategy,
    durationMs: performance.now() - started,
    statements: run.done,
    error: run.error,
    rolledBack: run.error !== null && strategy !== 'per-statement' && !committedBefore(statements, run.error.statementIndex),
  }
}

interface Run { done: StatementRun[]; error: ApplyError | null }

/** A COMMIT written in the file before the failing statement keeps what came before it. */
function committedBefore(statements: LocatedStatement[], failedAt: number | null): boolean {
  return statements.some((s) => s.transaction === 'commit' && (failedAt === null || s.index < failedAt))
}

/**
 * Prisma < 7.4: the file is one simple-protocol query, which Postgres runs as one implicit
 * transaction (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT).
 * A one-statement file is not in a transaction block at all, which is why a lone CONCURRENTLY works.
 */
async function runAsOneQuery(client: pg.ClientBase, sql: string, statements: LocatedStatement[], options: ApplyOptions): Promise<Run> {
  const single = statements.length === 1 ? statements[0] : null
  if (single) await options.beforeStatement?.(strip(single))
  const t0 = performance.now()
  try {
    await client.query(sql)
  } catch (error) {
    const found = toApplyError(error, sql, statements, null)
    if (found.statementIndex === null && options.locateFailure !== false) {
      const culprit = await findFailingStatement(client, statements)
      if (culprit) Object.assign(found, { statementIndex: culprit.index, line: culprit.line })
    }
    return { done: [], error: found }
  }
  const ms = performance.now() - t0
  if (single) await options.afterStatement?.(strip(single), ms)
  return { done: statements.map((s) => ({ index: s.index, text: s.text, line: s.line, durationMs: single ? ms : null })), error: null }
}

/**
 * The same outcome as one multi-statement query, observable per statement: our BEGIN opens the
 * block the server would have opened implicitly. A BEGIN written in the file joins that block, a
 * COMMIT/ROLLBACK in the file ends it and a new one starts, exactly as in the implicit block.
 */
async function runInTransaction(client: pg.ClientBase, sql: string, statements: LocatedStatement[], options: ApplyOptions): Promise<Run> {
  await client.query('BEGIN')
  const run = await runEach(client, sql, statements, options, async (s) => {
    if (s.transaction === 'commit' || s.transaction === 'rollback') {
      await client.query(s.text)
      await client.query('BEGIN')
    } else if (s.transaction !== 'begin') {
      await client.query(s.text)
    }
  })
  if (!run.error) await client.query('COMMIT')
  return run
}

/** Prisma >= 7.4: each statement is its own query and commits on its own; a failure keeps what ran before. */
function runPerStatement(client: pg.ClientBase, sql: string, statements: LocatedStatement[], options: ApplyOptions): Promise<Run> {
  return runEach(client, sql, statements, options, async (s) => {
    await client.query(s.text)
  })
}

/** Runs statements one by one with the hooks and timings; on the first error rolls back what is open and stops. */
async function runEach(client: pg.ClientBase, sql: string, statements: LocatedStatement[], options: ApplyOptions, exec: (s: LocatedStatement) => Promise<void>): Promise<Run> {
  const done: StatementRun[] = []
  for (const s of statements) {
    await options.beforeStatement?.(strip(s))
    const t0 = performance.now()
    try {
      await exec(s)
    } catch (error) {
      // An open transaction block (ours, or one the file opened) would leave the connection unusable.
      await client.query('ROLLBACK').catch(() => undefined)
      return { done, error: toApplyError(error, sql, statements, s) }
    }
    const ms = performance.now() - t0
    done.push({ index: s.index, text: s.text, line: s.line, durationMs: ms })
    await options.afterStatement?.(strip(s), ms)
  }
  return { done, error: null }
}

/**
 * Postgres gives no position for many errors (a missing relation in ALTER TABLE, a lock timeout), so
 * one failed query does not say which statement broke. The file already ran in one transaction and was
 * rolled back; running it again statement by statement in a transaction that is rolled back too finds
 * the culprit without leaving anything behind.
 */
async function findFailingStatement(client: pg.ClientBase, statements: LocatedStatement[]): Promise<LocatedStatement | null> {
  if (statements.length < 2) return statements[0] ?? null
  // After a COMMIT written in the file, part of it is already in the database: a replay would mislead.
  if (statements.some((s) => s.transaction)) return null
  await client.query('BEGIN')
  try {
    for (const s of statements) {
      try {
        await client.query(s.text)
      } catch {
        return s
      }
    }
    return null
  } finally {
    await client.query('ROLLBACK').catch(() => undefined)
  }
}

function strip(s: LocatedStatement) {
  return { index: s.index, text: s.text, line: s.line }
}

/**
 * Postgres reports `position` in characters, 1-based, relative to the query it was sent: the whole
 * file in single-query mode, the statement otherwise. Both become a position in the file.
 */
function toApplyError(error: unknown, sql: string, statements: LocatedStatement[], current: LocatedStatement | null): ApplyError {
  const e = error as pg.DatabaseError
  const raw = e?.position ? Number(e.position) : null
  const position = raw === null ? null : current ? current.charStart + raw : raw
  let statement = current
  if (!statement && position !== null) statement = [...statements].reverse().find((s) => s.charStart < position) ?? null
  if (!statement && statements.length === 1) statement = statements[0]
  return {
    message: e?.message ?? String(error),
    statementIndex: statement?.index ?? null,
    line: position !== null ? lineOfChar(sql, position - 1) : statement?.line ?? null,
    position,
    code: e?.code ?? null,
  }
}
