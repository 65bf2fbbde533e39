import { execOn } from './exec-on.js'
import type { LocalCluster } from './local-cluster.js'
import type { PostgresHandle, ProviderName } from './provider.js'
import { createDatabaseOn, dropDatabaseOn } from './create-database.js'

export { execOn } from './exec-on.js'

/** A handle over a cluster we started ourselves: stopping it stops the server and removes its folder. */
export async function clusterHandle(provider: ProviderName, cluster: LocalCluster, clientBindir: string | null): Promise<PostgresHandle> {
  const host = '127.0.0.1'
  const urlFor = (db: string) => `postgres://postgres@${host}:${cluster.port}/${encodeURIComponent(db)}`
  const version = (await execOn(urlFor('postgres'), 'SHOW server_version')).rows[0].server_version as string
  // destroy() is idempotent and shared by concurrent callers (a signal handler and `await using`).
  return serverHandle({ provider, host, port: cluster.port, password: '', serverVersion: version.split(' ')[0], clientBindir, urlFor, stop: () => cluster.destroy() })
}

/**
 * A handle over a whole server we own (a local cluster, a container), as superuser `postgres`:
 * scratch databases are created and dropped through its maintenance database.
 */
export function serverHandle(parts: {
  provider: ProviderName
  host: string
  port: number
  password: string
  serverVersion: string
  clientBindir: string | null
  urlFor: (db: string) => string
  stop: () => Promise<void>
}): PostgresHandle {
  const url = parts.urlFor('postgres')
  return {
    provider: parts.provider,
    url,
    host: parts.host,
    port: parts.port,
    user: 'postgres',
    password: parts.password,
    serverVersion: parts.serverVersion,
    pgMajor: Number.parseInt(parts.serverVersion, 10),
    clientBindir: parts.clientBindir,
    urlFor: parts.urlFor,
    async createDatabase(name, options = {}) {
      await createDatabaseOn(url, name, options)
      return parts.urlFor(name)
    },
    async dropDatabase(name) {
      await dropDatabaseOn(url, name)
    },
    stop: parts.stop,
    [Symbol.asyncDispose]: parts.stop,
  }
}
