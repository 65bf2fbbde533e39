import type pg from 'pg'
import { lint } from '../linter/lint.js'
import type { StatementReport } from '../linter/types.js'
import { applyMigration, recordMigration } from '../migrations/index.js'
import type { Migration, MigrationProject } from '../migrations/index.js'
import { SYSTEM_SCHEMA_FILTER, tableKey } from './catalog.js'
import { parseExpectations, declares } from './expectations.js'
import { lockRank, MigrationObserver, pgLockName, WRITE_BLOCKING, type StatementObservation } from './observe.js'
import type { MigrationResult, StatementResult } from './types.js'

export interface ReplayOptions {
  pgVersion: number
  /** Rows of each table in the baseline (0 for tables the migrations create). */
  rowsOf: (table: string) => number
  slowMs: number
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

export interface ReplayResult {
  migrations: MigrationResult[]
  /** `table` or `table.column` → the migration after which it no longer existed. */
  droppedBy: Map<string, string>
  lint: { statements: number; risky: number }
}

/** `public."Contact"` (linter spelling) → `Contact` (report key). */
export function normalizeTableName(name: string | null): string | null {
  if (!name) return null
  const parts = (name.match(/"(?:[^"]|"")*"|[^.]+/g) ?? []).map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p))
  return parts.length > 1 && parts[0] === 'public' ? parts.slice(1).join('.') : parts.join('.')
}

/**
 * Applies each pending migration as the project's Prisma would (src/migrations applyMigration), records
 * it in the migrations table, and observes every statement: locks, rewrites, scans, duration — then
 * compares each statement with what the linter predicted for it.
 */
export async function replayMigrations(client: pg.ClientBase, side: pg.ClientBase, project: MigrationProject, pending: Migration[], options: ReplayOptions): Promise<ReplayResult> {
  const observer = new MigrationObserver(client, side)
  await observer.start()
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  // Ctrl-C in the middle of a long statement: cancel it on the server instead of waiting for it.
  const cancel = () => void side.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined)
  options.signal?.addEventListener('abort', cancel, { once: true })
  const migrations: MigrationResult[] = []
  const droppedBy = new Map<string, string>()
  let known = await columnSet(client)
  const totals = { statements: 0, risky: 0 }
  try {
    for (const migration of pending) {
      const lintResult = await lint(migration.upSql, { pgVersion: options.pgVersion, path: migration.upPath, prisma: migration.kind === 'prisma', prismaVersion: project.prismaVersion ?? undefined })
      const predictions = lintResult.files[0]?.statements ?? []
      totals.statements += predictions.length
      totals.risky += predictions.filter((s) => s.verdict === 'risky').length
      const expectations = parseExpectations(migration.upSql, migration.upPath)
      const entry: MigrationResult = { name: migration.name, path: migration.upPath, status: 'skipped', durationMs: null, error: null, expectations, statements: [] }
      migrations.push(entry)
      if (options.signal?.aborted || migrations.some((m) => m.status === 'failed')) continue
      options.onProgress?.(`applying ${migration.name}`)
      const result = await applyMigration(client, migration, project, {
        beforeStatement: () => observer.beforeStatement(),
        afterStatement: async (s, ms) => {
          const seen = await observer.afterStatement(options.rowsOf)
          entry.statements.push(statementResult(s, ms, seen, predictions[s.index], options, expectations, observer))
        },
      })
      await observer.cancel()
      options.signal?.throwIfAborted()
      await recordMigration(client, migration, result)
      entry.status = result.status
      entry.durationMs = result.durationMs
      if (result.error) {
        const failing = predictions[result.error.statementIndex ?? -1]
        entry.error = { ...result.error, statement: failing?.text ?? null }
      }
      const now = await columnSet(client)
      for (const key of known) if (!now.has(key)) droppedBy.set(key, migration.name)
      known = now
    }
  } finally {
    options.signal?.removeEventListener('abort', cancel)
    await observer.stop().catch(() => undefined)
  }
  return { migrations, droppedBy, lint: totals }
}

/** Every user table and `table.column` that exists now (one light catalog query, run after each migration). */
async function columnSet(client: pg.ClientBase): Promise<Set<string>> {
  const rows = (await client.query(`
    SELECT n.nspname AS s, c.relname AS t, a.attname AS col
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p') AND ${SYSTEM_SCHEMA_FILTER}`)).rows
  const set = new Set<string>()
  for (const r of rows) {
    const key = tableKey(r.s, r.t)
    set.add(key)
    if (r.col) set.add(`${key}.${r.col}`)
  }
  return set
}

function statementResult(s: { index: number; text: string; line: number }, ms: number, seen: StatementObservation, predicted: StatementReport | undefined,
  options: ReplayOptions, expectations: ReturnType<typeof parseExpectations>, observer: MigrationObserver): StatementResult {
  const nonEmpty = (t: string) => options.rowsOf(t) > 0
  const blocking = Object.entries(seen.lockByTable).filter(([t, m]) => WRITE_BLOCKING.has(m) && nonEmpty(t))
  const risky = seen.rewrote.some(nonEmpty) || blocking.some(([t]) => seen.scanned.includes(t) || ms >= options.slowMs)
  const observed: 'safe' | 'risky' = risky ? 'risky' : 'safe'
  const disagreements: string[] = []
  if (predicted) {
    const table = normalizeTableName(predicted.table)
    // A verdict the linter gives for data or deploy-order reasons (a DROP COLUMN) has no lock to observe:
    // only lock-related verdicts are compared.
    if (observed === 'risky' && predicted.verdict === 'safe') disagreements.push('observed risky (a blocking lock with a rewrite, scan or long run), the linter predicted safe')
    if (observed === 'safe' && predicted.verdict === 'risky' && (predicted.rewrite || predicted.scan))
      disagreements.push(`linter predicted a ${predicted.rewrite ? 'rewrite' : 'full scan'} under ${predicted.lock ?? 'a lock'}, observed safe on this snapshot`)
    for (const t of seen.rewrote)
      if (!predicted.rewrite && !declares(expectations, 'rewrite', t)) disagreements.push(`rewrote "${t}", which the linter did not predict`)
    if (predicted.rewrite && table && observer.existedBefore(table) && !seen.rewrote.includes(table))
      disagreements.push(`linter predicted a rewrite of "${table}", none observed`)
    const observedLock = table ? seen.lockByTable[table] : undefined
    if (predicted.lock && table && observer.existedBefore(table)) {
      const want = pgLockName(predicted.lock)
      // The transaction may already hold it from an earlier statement: taking it again shows nothing new.
      const held = seen.alreadyHeld[table]
      const covered = held !== undefined && lockRank(held) >= lockRank(want)
      if (observedLock && observedLock !== want && !covered) disagreements.push(`linter predicted ${want} on "${table}", observed ${observedLock}`)
      if (!observedLock && seen.lockSource === 'transaction' && !covered) disagreements.push(`linter predicted ${want} on "${table}", no lock observed`)
    }
  }
  return {
    index: s.index, line: s.line, text: s.text, durationMs: Math.round(ms * 100) / 100,
    locks: seen.locks, lockSource: seen.lockSource, rewrote: seen.rewrote, rewroteIndexes: seen.rewroteIndexes, scanned: seen.scanned,
    predicted: predicted?.verdict ?? null, predictedLock: predicted?.lock ? pgLockName(predicted.lock) : null, predictedRewrite: predicted?.rewrite ?? null,
    observed, disagreements,
  }
}
