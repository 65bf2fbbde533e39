import pg from 'pg'
import { discoverMigrations, planMigrations, readAppliedMigrations } from '../migrations/index.js'
import { startPostgres } from '../postgres/index.js'
import { fingerprintTable, readSequences, takeBaseline } from './baseline.js'
import { Canary, type CanaryResult } from './canary.js'
import { readCatalog } from './catalog.js'
import { compareData } from './compare-data.js'
import { declares, type Expectation } from './expectations.js'
import { loadSnapshot } from './load-snapshot.js'
import { replayMigrations, type ReplayResult } from './replay.js'
import { rollbackAndProve } from './rollback.js'
import { cloneTemplate, dropScratch, withTemplateOpen } from './template.js'
import type { VerifyOptions, VerifyResult } from './types.js'
import { connectClient } from '../postgres/client.js'

function connect(url: string): Promise<pg.Client & AsyncDisposable> {
  return connectClient({ connectionString: url, application_name: 'koinonia-db verify' })
}

/**
 * The migration gate: provisions a throwaway Postgres, loads a snapshot (a dump, a live database
 * dumped read-only, or synthetic rows), replays the pending migrations while watching locks and
 * rewrites, checks that no data was lost, rolls back and proves schema and data equal the baseline.
 * Everything it starts is stopped and removed before it returns or throws.
 * @example
 * const result = await verify({ cwd: 'fixtures/prisma-app' })
 * if (result.verdict === 'fail') console.log(result.reasons)
 */
export async function verify(options: VerifyOptions = {}): Promise<VerifyResult> {
  const t0 = performance.now()
  const progress = options.onProgress ?? (() => undefined)
  const project = await discoverMigrations({ cwd: options.cwd ?? process.cwd(), migrationsDir: options.migrationsDir, prismaVersion: options.prismaVersion })
  const pgMajor = options.pgVersion ?? 15
  progress(`provisioning Postgres ${pgMajor}${options.provider ? ` (${options.provider})` : ''}`)
  await using handle = await startPostgres({
    provider: options.provider, pgMajor, image: options.image, url: options.url, label: 'verify', onProgress: progress, signal: options.signal,
  })
  const timings = { provisionMs: performance.now() - t0 } as VerifyResult['timings']
  options.signal?.throwIfAborted()

  const snapshot = await loadSnapshot(handle, {
    snapshot: options.snapshot, project, applied: options.applied, rows: options.rows, seed: options.seed, jobs: options.jobs, signal: options.signal, onProgress: progress,
  })
  timings.snapshotMs = snapshot.loadMs
  const scratch: string[] = []
  try {
    progress('cloning the snapshot template')
    const clone = await cloneTemplate(handle, snapshot.template)
    scratch.push(clone.name)
    timings.cloneMs = clone.durationMs
    await using client = await connect(clone.url)
    await using side = await connect(clone.url)

    const plan = planMigrations(project, await readAppliedMigrations(client, project))
    let t = performance.now()
    progress(`baseline of ${plan.pending.length} pending migration(s)`)
    const baseline = await takeBaseline(client, options.signal)
    timings.baselineMs = performance.now() - t
    const rowsOf = (table: string) => baseline.tables[table]?.rows ?? 0

    const canary = options.load ? await Canary.start(clone.url, await canaryTables(client, baseline)) : null
    t = performance.now()
    let replay: ReplayResult
    let load: CanaryResult | undefined
    try {
      replay = await replayMigrations(client, side, project, plan.pending, { pgVersion: pgMajor, rowsOf, slowMs: options.slowMs ?? 1000, signal: options.signal, onProgress: progress })
    } finally {
      load = await canary?.stop()
    }
    timings.replayMs = performance.now() - t

    t = performance.now()
    progress('verifying data')
    const expectations: Expectation[] = replay.migrations.flatMap((m) => m.expectations)
    const data = await compareData(client, baseline, {
      expectations, droppedBy: replay.droppedBy,
      before: (_name, sql, columns) => withTemplateOpen(handle, snapshot.template, async (url) => {
        await using template = await connect(url)
        return await fingerprintTable(template, sql, columns)
      }),
    })
    timings.verifyMs = performance.now() - t

    const reasons: string[] = []
    for (const m of replay.migrations.filter((m) => m.status === 'failed'))
      reasons.push(`migration ${m.name} failed${m.error?.line ? ` at line ${m.error.line}` : ''}: ${m.error?.message}`)
    reasons.push(...data.reasons)
    // A sequence moved backwards hands out keys that already exist: the next INSERT fails in production.
    const sequences = await readSequences(client)
    for (const [name, before] of Object.entries(baseline.sequences))
      if (before !== null && name in sequences && (sequences[name] === null || BigInt(sequences[name]!) < BigInt(before)))
        reasons.push(`sequence "${name}" moved back: next value ${sequences[name] ?? 'unknown'} instead of ${before}; new rows would reuse existing keys`)
    const maxRewriteRows = options.maxRewriteRows ?? 10_000
    for (const m of replay.migrations)
      for (const s of m.statements)
        for (const table of s.rewrote)
          if (rowsOf(table) >= maxRewriteRows && !declares(m.expectations, 'rewrite', table))
            reasons.push(`${m.name} statement ${s.index + 1} (line ${s.line}) rewrote "${table}" (${rowsOf(table)} rows) under ${s.locks.find((l) => l.endsWith(`"${table}"`))?.split(' on ')[0] ?? 'a lock'}`)

    t = performance.now()
    const applied = plan.pending.filter((m) => replay.migrations.find((r) => r.name === m.name)?.status === 'applied')
    const rollback = options.noRollback
      ? { ran: false, schemaMatches: null, dataMatches: null, skippedReason: '--no-rollback', migrations: [], schemaDifferences: [], dataDifferences: [] }
      : await rollbackAndProve(client, project, applied, baseline, { serverUrl: handle.url, signal: options.signal, onProgress: progress })
    timings.rollbackMs = performance.now() - t
    if (!options.noRollback && applied.length) {
      if (!rollback.ran) reasons.push(`rollback not proven: ${rollback.skippedReason}`)
      for (const m of rollback.migrations.filter((m) => m.status === 'failed')) reasons.push(`down migration of ${m.name} failed: ${m.error}`)
      if (rollback.schemaMatches === false) reasons.push(`after rollback the schema differs from the baseline: ${rollback.schemaDifferences.slice(0, 3).join('; ')}`)
      if (rollback.dataMatches === false) reasons.push(`after rollback the data differs from the baseline: ${rollback.dataDifferences.slice(0, 3).join('; ')}`)
    }
    timings.totalMs = performance.now() - t0
    return {
      version: 1,
      verdict: reasons.length ? 'fail' : 'pass',
      reasons,
      provider: handle.provider,
      pgVersion: handle.serverVersion,
      project: { kind: project.kind, root: project.root, migrationsDir: project.migrationsDir, prismaVersion: project.prismaVersion, mode: project.mode },
      snapshot: { kind: snapshot.kind, source: snapshot.source, format: snapshot.format, rows: snapshot.rows, seed: snapshot.seed, loadMs: round(snapshot.loadMs), cloneMs: round(clone.durationMs) },
      lint: replay.lint,
      migrations: replay.migrations,
      tables: data.tables,
      dataLoss: data.dataLoss,
      load: load ? {
        maxReadBlockedMs: Math.max(0, ...Object.values(load.readBlockedMs)), maxWriteBlockedMs: Math.max(0, ...Object.values(load.writeBlockedMs)), ...load,
      } : null,
      rollback,
      timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, round(v)])) as VerifyResult['timings'],
    }
  } finally {
    for (const db of scratch) await dropScratch(handle, db).catch(() => undefined)
    await dropScratch(handle, snapshot.template).catch(() => undefined)
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}

async function canaryTables(client: pg.ClientBase, baseline: { tables: Record<string, { rows: number }> }) {
  const out = []
  for (const table of await readCatalog(client)) {
    const column = table.columns.find((c) => !c.identity && !c.generated)
    if (column && (baseline.tables[table.key]?.rows ?? 0) > 0) out.push({ key: table.key, sql: table.sql, column: column.name })
  }
  return out
}
