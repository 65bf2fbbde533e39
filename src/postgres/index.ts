import { UsageError } from '../errors.js'
import type { PostgresHandle, PostgresProvider, ProviderName, StartOptions } from './provider.js'
import { systemProvider } from './providers/system.js'

/** Providers by name: chosen as data, never by `if (provider === ...)` in commands. */
export const PROVIDERS: Partial<Record<ProviderName, PostgresProvider>> = {
  system: systemProvider,
}

export function getProvider(name: ProviderName): PostgresProvider {
  const provider = PROVIDERS[name]
  if (!provider)
    throw new UsageError('KDB_UNKNOWN_PROVIDER', `unknown Postgres provider "${name}"`, {
      hint: `Use one of: ${Object.keys(PROVIDERS).join(', ')}.`,
    })
  return provider
}

/**
 * Starts Postgres with the named provider.
 * @example
 * await using pg = await startPostgres({ provider: 'system', pgMajor: 15 })
 */
export async function startPostgres(options: StartOptions & { provider?: ProviderName } = {}): Promise<PostgresHandle> {
  return getProvider(options.provider ?? 'system').start(options)
}

export type { PostgresHandle, PostgresProvider, ProviderName, StartOptions } from './provider.js'
