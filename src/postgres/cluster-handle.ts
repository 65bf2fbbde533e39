import { execOn } from './exec-on.js'
import type { LocalCluster } from './local-cluster.js'
import type { PostgresHandle, ProviderName } from './provider.js'
import { createDatabaseOn, dropDatabaseOn } from './create-database.js'

export { execOn } from './exec-on.js'

/** A handle over a cluster we started ourselves: stopping it stops the server and removes its folder. */
export async function clusterHandle(provider: ProviderName, cluster: LocalCluster, clientBindir: string | null): Promise<PostgresHandle> {
  const host = '127.0.0.1'
  const urlFor = (db: string) => `postgres://postgres@${host}:${cluster.port}/${encodeURIComponent(db)}`
  const url = urlFor('postgres')
  const version = (await execOn(url, 'SHOW server_version')).rows[0].server_version as string
  // destroy() is idempotent and shared by concurrent callers (a signal handler and `await using`).
  const stop = () => cluster.destroy()
  return {
    provider,
    url,
    host,
    port: cluster.port,
    user: 'postgres',
    password: '',
    serverVersion: version.split(' ')[0],
    pgMajor: Number(version.split('.')[0]),
    clientBindir,
    urlFor,
    async createDatabase(name, options = {}) {
      await createDatabaseOn(url, name, options)
      return urlFor(name)
    },
    async dropDatabase(name) {
      await dropDatabaseOn(url, name)
    },
    stop,
    [Symbol.asyncDispose]: stop,
  }
}
