import pg from 'pg'

/**
 * Every pg client we open goes through here. A connection the server ends while idle (Ctrl-C stops
 * the server, DROP DATABASE ... WITH (FORCE)) emits 'error'; without a listener Node crashes the
 * process. Queries in flight still reject with that error, so nothing is swallowed.
 */
export function newClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config)
  client.on('error', () => undefined)
  return client
}

/** A connected client that ends when disposed: `await using client = await connectClient({ connectionString })`. */
export async function connectClient(config: pg.ClientConfig): Promise<pg.Client & AsyncDisposable> {
  const client = newClient(config) as pg.Client & AsyncDisposable
  await client.connect()
  client[Symbol.asyncDispose] = () => client.end().catch(() => undefined)
  return client
}
