import { UsageError } from '../errors.js'
import type { PostgresHandle, PostgresProvider, ProviderName, StartOptions } from './provider.js'
import { embeddedProvider } from './providers/embedded.js'
import { systemProvider } from './providers/system.js'
import { testcontainersProvider } from './providers/testcontainers.js'
import { urlProvider } from './providers/url.js'

/** Providers by name: chosen as data, never by `if (provider === ...)` in commands. */
export const PROVIDERS: Partial<Record<ProviderName, PostgresProvider>> = {
  embedded: embeddedProvider,
  system: systemProvider,
  testcontainers: testcontainersProvider,
  url: urlProvider,
}

/** The provider used when none is named: npm-installed binaries, so a fresh clone needs nothing else. */
export const DEFAULT_PROVIDER: ProviderName = 'embedded'

export function getProvider(name: ProviderName): PostgresProvider {
  const provider = PROVIDERS[name]
  if (!provider)
    throw new UsageError('KDB_UNKNOWN_PROVIDER', `unknown Postgres provider "${name}"`, {
      hint: `Use one of: ${Object.keys(PROVIDERS).join(', ')}.`,
    })
  return provider
}

/**
 * Starts Postgres with the named provider (default `embedded`). The handle stops the server and removes
 * everything it created on `await using` exit, on stop(), on SIGINT/SIGTERM and on process exit.
 * @example
 * await using pg = await startPostgres({ pgMajor: 15 })
 * const url = await pg.createDatabase('scratch', { template: 'restored' })
 */
export async function startPostgres(options: StartOptions & { provider?: ProviderName } = {}): Promise<PostgresHandle> {
  return getProvider(options.provider ?? DEFAULT_PROVIDER).start(options)
}

export type { PostgresHandle, PostgresProvider, ProviderName, StartOptions } from './provider.js'
export { sweep, type SweepOptions, type SweepResult } from './sweep.js'
export { sweepUrl } from './providers/url.js'
export { createEmbeddedProvider, embeddedMajors, type EmbeddedProviderOptions } from './providers/embedded.js'
export { stopAllLive, liveCleanupCount } from './cleanup-registry.js'
