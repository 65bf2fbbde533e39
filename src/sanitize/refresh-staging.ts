import { spawn } from 'node:child_process'
import { EnvironmentError, InputError, UsageError } from '../errors.js'
import { clientTool } from '../postgres/binaries.js'
import { quoteIdent } from '../postgres/sql.js'
import { connectTarget, redactUrl, type RulesSource } from './plan.js'
import type { SanitizeReport } from './report-types.js'
import { runSanitize, type SanitizeProgress } from './run.js'
import { resetState } from './state.js'

/** Written as the target database's comment on first refresh; later refreshes require it. */
export const STAGING_MARKER = 'koinonia-db:staging'

export interface RefreshStagingOptions extends RulesSource {
  /** Production (or a replica): only ever read, by pg_dump in a read-only session. */
  source: string
  /** The staging database: replaced by the dump, then masked and scanned. */
  target: string
  /** Accept a target without the staging marker (first refresh); the marker is then written. */
  iKnowThisIsStaging?: boolean
  jobs?: number
  keyEnv?: string
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  onProgress?: (event: SanitizeProgress | { kind: 'restore'; message: string }) => void
}

export interface RefreshStagingResult {
  ok: boolean
  restoreMs: number
  report: SanitizeReport
}

interface ServerIdentity { id: string; database: string; marker: string | null; major: number }

async function identify(url: string): Promise<ServerIdentity> {
  const client = await connectTarget(url)
  try {
    const r = (await client.query(`SELECT current_database() AS db, current_setting('server_version_num')::int / 10000 AS major,
      shobj_description((SELECT oid FROM pg_database WHERE datname = current_database()), 'pg_database') AS comment`)).rows[0]
    // The cluster's system identifier tells two servers apart even behind different host names.
    let id: string
    try {
      id = String((await client.query('SELECT system_identifier FROM pg_control_system()')).rows[0].system_identifier)
    } catch {
      const u = new URL(url)
      id = `${u.hostname.replace(/^localhost$/, '127.0.0.1')}:${u.port || '5432'}`
    }
    return { id, database: r.db, marker: r.comment, major: Number(r.major) }
  } finally {
    await client.end()
  }
}

/** pg_dump (custom format, read-only session) piped into pg_restore --clean --single-transaction. */
function dumpAndRestore(source: string, target: string, major: number, signal?: AbortSignal): Promise<void> {
  const dump = spawn(clientTool('pg_dump', null, major), ['--format=custom', '--no-owner', '--no-privileges', '--exclude-schema=koinonia_sanitize', '--dbname', source], {
    // The server refuses any write in this session: the source cannot be modified by accident.
    env: { ...process.env, PGOPTIONS: '-c default_transaction_read_only=on' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const restore = spawn(clientTool('pg_restore', null, major), ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', target], {
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  dump.stdout.pipe(restore.stdin)
  const errors = { dump: '', restore: '' }
  dump.stderr.on('data', (d) => (errors.dump += d))
  restore.stderr.on('data', (d) => (errors.restore += d))
  const onAbort = () => { dump.kill('SIGTERM'); restore.kill('SIGTERM') }
  signal?.addEventListener('abort', onAbort, { once: true })
  const exit = (p: ReturnType<typeof spawn>) => new Promise<number>((resolve, reject) => { p.on('error', reject); p.on('close', (code) => resolve(code ?? 1)) })
  return Promise.all([exit(dump), exit(restore)]).then(([d, r]) => {
    signal?.removeEventListener('abort', onAbort)
    if (d !== 0) throw new EnvironmentError('KDB_REFRESH_DUMP_FAILED', `pg_dump of ${redactUrl(source)} failed: ${errors.dump.trim().split('\n')[0]}`, { hint: 'Check the source URL and that pg_dump is at least the server version.' })
    if (r !== 0) throw new EnvironmentError('KDB_REFRESH_RESTORE_FAILED', `pg_restore into ${redactUrl(target)} failed: ${errors.restore.trim().split('\n')[0]}`, { hint: 'The target is left as it was (single transaction). Check permissions and extensions on the target.' })
  })
}

/**
 * Refreshes staging from production: dump the source read-only, restore into the target, mask,
 * scan, and only then report success. Refuses the same server and database, and a target that is
 * not marked as staging (unless `iKnowThisIsStaging`, which writes the marker).
 * @example
 * const { ok, report } = await refreshStaging({ source: prodUrl, target: stagingUrl, rules: 'sanitize.yaml' })
 */
export async function refreshStaging(options: RefreshStagingOptions): Promise<RefreshStagingResult> {
  const [source, target] = await Promise.all([identify(options.source), identify(options.target)])
  if (source.id === target.id && source.database === target.database)
    throw new UsageError('KDB_REFRESH_SAME_DATABASE', `source and target are the same database (${target.database} on ${redactUrl(options.target)})`, {
      hint: 'The target must be a separate staging database: it is overwritten.',
    })
  const marked = (target.marker ?? '').includes(STAGING_MARKER)
  if (!marked && !options.iKnowThisIsStaging)
    throw new InputError('KDB_REFRESH_NOT_STAGING', `target database ${target.database} is not marked as staging`, {
      hint: 'If it really is a staging database, run once with --i-know-this-is-staging; the marker is then written (COMMENT ON DATABASE).',
    })
  const client = await connectTarget(options.target)
  try {
    if (!marked) await client.query(`COMMENT ON DATABASE ${quoteIdent(target.database)} IS '${STAGING_MARKER}: overwritten by koinonia-db refresh-staging'`)
    // A previous run's progress would make this run skip tables the restore just brought back.
    await resetState(client)
  } finally {
    await client.end()
  }
  const started = performance.now()
  options.onProgress?.({ kind: 'restore', message: `pg_dump ${redactUrl(options.source)} | pg_restore ${redactUrl(options.target)}` })
  await dumpAndRestore(options.source, options.target, Math.max(source.major, target.major), options.signal)
  const restoreMs = Math.round(performance.now() - started)
  const report = await runSanitize({ ...options, onProgress: options.onProgress })
  return { ok: report.ok, restoreMs, report }
}
