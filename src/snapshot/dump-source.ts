import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { InputError } from '../errors.js'
import { clientTool } from '../postgres/binaries.js'

const run = promisify(execFile)

/** `postgres://user:***@host/db`: never print a password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

/**
 * Dumps a live database without disturbing it: pg_dump in a SERIALIZABLE READ ONLY DEFERRABLE
 * transaction (a consistent snapshot that cannot fail with a serialization error nor block writers),
 * and the session forced read-only as a second guard.
 */
export async function dumpLiveSource(sourceUrl: string, folder: string, options: { clientBindir?: string | null; signal?: AbortSignal } = {}): Promise<string> {
  const file = join(folder, 'source.dump')
  const pgDump = clientTool('pg_dump', options.clientBindir)
  try {
    await run(pgDump, ['--format=custom', '--serializable-deferrable', '--no-owner', '--no-acl', '--file', file, '--dbname', sourceUrl], {
      signal: options.signal, maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, PGOPTIONS: '-c default_transaction_read_only=on', PGAPPNAME: 'koinonia-db snapshot' },
    })
  } catch (error) {
    options.signal?.throwIfAborted()
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim()
    const hint = /version mismatch/.test(stderr)
      ? 'The source server is newer than our pg_dump: run with --pg-version set to the source\'s major version.'
      : 'Check the URL, that the server is reachable and that the user may read every table.'
    throw new InputError('KDB_SOURCE_DUMP_FAILED', `dumping ${redactUrl(sourceUrl)} failed: ${stderr}`, { hint, cause: error })
  }
  return file
}
