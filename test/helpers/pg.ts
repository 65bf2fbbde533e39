import pg from 'pg'
import { startPostgres, type PostgresHandle } from '../../src/postgres/index.js'

/**
 * A real, throwaway Postgres for a test. Use with `await using`:
 *   await using server = await startTestPostgres()
 * The provisioning work decides which provider tests use by default (KDB_TEST_PROVIDER overrides).
 */
export async function startTestPostgres(options: { pgMajor?: number; settings?: Record<string, string> } = {}): Promise<PostgresHandle> {
  const provider = (process.env.KDB_TEST_PROVIDER ?? 'system') as 'system'
  return startPostgres({ provider, pgMajor: options.pgMajor ?? 15, label: 'test', settings: options.settings })
}

/** A connected client that ends when disposed. */
export async function connect(url: string): Promise<pg.Client & AsyncDisposable> {
  const client = new pg.Client({ connectionString: url }) as pg.Client & AsyncDisposable
  await client.connect()
  client[Symbol.asyncDispose] = () => client.end()
  return client
}
