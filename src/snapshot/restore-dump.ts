import { execFile } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import { InputError } from '../errors.js'
import { clientTool } from '../postgres/binaries.js'
import type { PostgresHandle } from '../postgres/provider.js'
import { checkDumpFits, detectDumpFormat, dumpVersions, type DumpFormat } from './dump-format.js'

const run = promisify(execFile)

export interface RestoreDumpOptions {
  /** Parallel pg_restore jobs (custom and directory formats). Default: the number of cores. */
  jobs?: number
  signal?: AbortSignal
}

export interface RestoreDumpResult {
  format: DumpFormat
  durationMs: number
  /** Major version of the server the dump came from, when known. */
  sourceMajor: number | null
}

/**
 * Restores a pg_dump file or folder into an existing empty database of `handle`, with the client
 * tools that belong to that server when the provider has them. Owners and grants are skipped: the
 * roles of production do not exist on a throwaway server.
 */
export async function restoreDump(handle: PostgresHandle, database: string, path: string, options: RestoreDumpOptions = {}): Promise<RestoreDumpResult> {
  const format = detectDumpFormat(path)
  const pgRestore = clientTool('pg_restore', handle.clientBindir, handle.pgMajor)
  const versions = await dumpVersions(path, format, pgRestore)
  checkDumpFits(path, versions, handle.pgMajor)
  const url = handle.urlFor(database)
  const started = performance.now()
  const jobs = Math.max(1, options.jobs ?? availableParallelism())
  const [tool, args] = format === 'plain'
    ? [clientTool('psql', handle.clientBindir, handle.pgMajor), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', path]]
    : [pgRestore, ['--no-owner', '--no-acl', '--exit-on-error', ...(format === 'tar' ? [] : ['--jobs', String(jobs)]), '--dbname', url, path]]
  try {
    await run(tool, args, { signal: options.signal, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } })
  } catch (error) {
    options.signal?.throwIfAborted()
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim()
    const first = stderr.split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' | ') || stderr.slice(0, 400)
    const line = /line (\d+)/.exec(stderr)
    throw new InputError('KDB_RESTORE_FAILED', `restoring ${path} (${format} format) failed: ${first}`, {
      file: path, line: format === 'plain' && line ? Number(line[1]) : undefined, cause: error,
      hint: 'Check that the dump is complete and comes from a Postgres no newer than --pg-version; extensions it uses must exist on the server.',
    })
  }
  return { format, durationMs: performance.now() - started, sourceMajor: versions.serverMajor }
}
