import pg from 'pg'
import type { LocalCluster } from './local-cluster.js'
import type { PostgresHandle, ProviderName } from './provider.js'
import { quoteIdent } from './sql.js'

/** Runs one statement on a URL with a short-lived client. */
export async function execOn(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query(sql, params)
  } finally {
    await client.end()
  }
}

/** A handle over a cluster we started ourselves: stopping it stops the server and removes its folder. */
export async function clusterHandle(provider: ProviderName, cluster: LocalCluster, clientBindir: string | null): Promise<PostgresHandle> {
  const host = '127.0.0.1'
  const urlFor = (db: string) => `postgres://postgres@${host}:${cluster.port}/${encodeURIComponent(db)}`
  const url = urlFor('postgres')
  const version = (await execOn(url, 'SHOW server_version')).rows[0].server_version as string
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await cluster.destroy()
  }
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
      const template = options.template ? ` TEMPLATE ${quoteIdent(options.template)}` : ''
      await execOn(url, `CREATE DATABASE ${quoteIdent(name)}${template}`)
      return urlFor(name)
    },
    async dropDatabase(name) {
      await execOn(url, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
    },
    stop,
    [Symbol.asyncDispose]: stop,
  }
}
