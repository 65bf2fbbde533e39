import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, UsageError } from '../errors.js'
import { migrateWith } from '../migrations/index.js'
import type { MigrationProject } from '../migrations/index.js'
import { execOn } from '../postgres/cluster-handle.js'
import { TEMP_PREFIX } from '../postgres/local-cluster.js'
import type { PostgresHandle } from '../postgres/provider.js'
import { dumpLiveSource, redactUrl } from './dump-source.js'
import { restoreDump } from './restore-dump.js'
import { fillSynthetic } from './synthetic.js'
import { freezeTemplate, scratchName } from './template.js'
import { newClient } from '../postgres/client.js'

export interface LoadSnapshotOptions {
  /** A pg_dump file or folder, or a postgres:// URL; undefined for a synthetic snapshot. */
  snapshot?: string
  project: MigrationProject
  /** Synthetic: how many migrations count as applied in production (count or last name). */
  applied?: string
  rows?: number
  seed?: number
  jobs?: number
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

export interface LoadedSnapshot {
  /** The template database every run is cloned from. */
  template: string
  kind: 'dump' | 'url' | 'synthetic'
  source: string | null
  format: string | null
  rows: number | null
  seed: number | null
  loadMs: number
}

export const isUrl = (s: string) => /^postgres(ql)?:\/\//.test(s)

/** Loads the snapshot into a new database of `handle` and freezes it as a template. */
export async function loadSnapshot(handle: PostgresHandle, options: LoadSnapshotOptions): Promise<LoadedSnapshot> {
  const started = performance.now()
  const template = scratchName('snapshot')
  await handle.createDatabase(template)
  let loaded: Omit<LoadedSnapshot, 'template' | 'loadMs'>
  try {
    if (options.snapshot && isUrl(options.snapshot)) {
      const folder = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}dump-`))
      try {
        options.onProgress?.(`dumping ${redactUrl(options.snapshot)} (read-only)`)
        const file = await dumpLiveSource(options.snapshot, folder, { clientBindir: handle.clientBindir, signal: options.signal })
        options.onProgress?.('restoring the dump')
        await restoreDump(handle, template, file, { jobs: options.jobs, signal: options.signal })
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
      loaded = { kind: 'url', source: redactUrl(options.snapshot), format: 'custom', rows: null, seed: null }
    } else if (options.snapshot) {
      options.onProgress?.(`restoring ${options.snapshot}`)
      const restored = await restoreDump(handle, template, options.snapshot, { jobs: options.jobs, signal: options.signal })
      loaded = { kind: 'dump', source: options.snapshot, format: restored.format, rows: null, seed: null }
    } else {
      const rows = options.rows ?? 1000
      const seed = options.seed ?? 1
      await synthesize(handle.urlFor(template), options, rows, seed)
      loaded = { kind: 'synthetic', source: null, format: null, rows, seed }
    }
    await freezeTemplate(handle, template)
  } catch (error) {
    await handle.dropDatabase(template).catch(() => undefined)
    throw error
  }
  return { template, ...loaded, loadMs: performance.now() - started }
}

/**
 * How many migrations production has: `--applied`, else the project's scenario.json (`applied` or
 * `appliedInProduction`: a count or a name), else all but the newest (the typical pull request adds one migration).
 */
export function appliedCount(project: MigrationProject, applied?: string): number {
  let spec = applied
  const scenario = join(project.root, 'scenario.json')
  if (spec === undefined && existsSync(scenario)) {
    try {
      const parsed = JSON.parse(readFileSync(scenario, 'utf8'))
      const value = parsed.applied ?? parsed.appliedInProduction
      if (value !== undefined) spec = String(value)
    } catch (error) {
      throw new InputError('KDB_SCENARIO', `cannot read ${scenario}: ${(error as Error).message}`, { file: scenario, hint: 'It must be JSON, e.g. {"applied": 4}.', cause: error })
    }
  }
  const names = project.migrations.map((m) => m.name)
  if (spec === undefined) return Math.max(0, names.length - 1)
  if (/^\d+$/.test(spec)) {
    const n = Number(spec)
    if (n > names.length) throw new UsageError('KDB_APPLIED', `--applied ${n} is more than the ${names.length} migrations of the project`, { hint: `Use a number from 0 to ${names.length}.` })
    return n
  }
  const at = names.indexOf(spec)
  if (at < 0) throw new UsageError('KDB_APPLIED', `--applied ${spec}: no migration of that name`, { hint: `Migrations: ${names.join(', ')}.` })
  return at + 1
}

async function synthesize(url: string, options: LoadSnapshotOptions, rows: number, seed: number): Promise<void> {
  const count = appliedCount(options.project, options.applied)
  const client = newClient({ connectionString: url })
  await client.connect()
  // Ctrl-C during a long INSERT: cancel it on the server rather than wait for it to finish.
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  const cancel = () => void execOn(url, 'SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined)
  options.signal?.addEventListener('abort', cancel, { once: true })
  try {
    options.onProgress?.(`synthetic snapshot: applying ${count} already-applied migration(s) to an empty database`)
    const migrated = await migrateWith(client, options.project, { limit: count, signal: options.signal })
    const failed = migrated.results.find((r) => r.status === 'failed')
    if (failed)
      throw new InputError('KDB_APPLIED_MIGRATION_FAILED', `already-applied migration ${failed.migration} fails on an empty database: ${failed.error?.message}`, {
        file: options.project.migrations.find((m) => m.name === failed.migration)?.upPath, line: failed.error?.line ?? undefined,
        hint: 'Fix the history, or verify against a real snapshot with --snapshot FILE|URL.',
      })
    options.signal?.throwIfAborted()
    options.onProgress?.(`synthetic snapshot: ${rows} rows per table (seed ${seed})`)
    await fillSynthetic(client, { rows, seed, signal: options.signal })
  } finally {
    options.signal?.removeEventListener('abort', cancel)
    await client.end().catch(() => undefined)
  }
}
