import { clusterHandle } from './cluster-handle.js'
import { LocalCluster } from './local-cluster.js'
import type { PostgresHandle, ProviderName, StartOptions } from './provider.js'

export interface LocalBinaries {
  bindir: string
  libdir?: string
  /** Where pg_dump / pg_restore / psql of a compatible version live, if anywhere. */
  clientBindir: string | null
  /** For progress messages. */
  description: string
}

/** initdb + start in a temp folder, as a handle; on any failure or abort, nothing is left behind. */
export async function startLocal(provider: ProviderName, bins: LocalBinaries, options: StartOptions): Promise<PostgresHandle> {
  options.signal?.throwIfAborted()
  options.onProgress?.(`initdb (${bins.description})`)
  const cluster = await LocalCluster.create({ bindir: bins.bindir, libdir: bins.libdir, label: options.label ?? provider, settings: options.settings,
    startTimeoutSeconds: options.startTimeoutSeconds,
  })
  try {
    options.signal?.throwIfAborted()
    options.onProgress?.('starting Postgres')
    await cluster.start()
    options.signal?.throwIfAborted()
    return await clusterHandle(provider, cluster, bins.clientBindir)
  } catch (error) {
    await cluster.destroy()
    throw error
  }
}
