import pg from 'pg'
import { startPostgres, type PostgresHandle, type ProviderName } from '../../src/postgres/index.js'
import { KoinoniaError } from '../../src/errors.js'

let fellBack: string | null = null

/**
 * A real, throwaway Postgres for a test. Use with `await using`:
 *   await using server = await startTestPostgres()
 * Tests use the embedded provider (npm binaries, what a fresh clone has). If it cannot start here, they
 * fall back to the system binaries and say so once. KDB_TEST_PROVIDER=system|embedded|testcontainers|url
 * (with KDB_TEST_URL for url) forces one, without fallback.
 */
export async function startTestPostgres(options: { pgMajor?: number; settings?: Record<string, string> } = {}): Promise<PostgresHandle> {
  const common = { pgMajor: options.pgMajor ?? 15, label: 'test', settings: options.settings }
  const forced = process.env.KDB_TEST_PROVIDER as ProviderName | undefined
  if (forced) return startPostgres({ ...common, provider: forced, url: process.env.KDB_TEST_URL })
  if (fellBack) return startPostgres({ ...common, provider: 'system' })
  try {
    return await startPostgres({ ...common, provider: 'embedded' })
  } catch (error) {
    // Only "cannot run here" falls back; a bug elsewhere must fail the test.
    if (!(error instanceof KoinoniaError) || error.kind !== 'environment') throw error
    fellBack = `${error.code}: ${error.message}`
    console.warn(`startTestPostgres: the embedded provider cannot start here (${fellBack}); using the system provider`)
    return startPostgres({ ...common, provider: 'system' })
  }
}

/** A connected client that ends when disposed. */
export async function connect(url: string): Promise<pg.Client & AsyncDisposable> {
  const client = new pg.Client({ connectionString: url }) as pg.Client & AsyncDisposable
  await client.connect()
  client[Symbol.asyncDispose] = () => client.end()
  return client
}
