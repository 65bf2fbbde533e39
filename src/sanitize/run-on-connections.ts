import type pg from 'pg'
import { newClient } from '../postgres/client.js'
import type { SanitizeKey } from './key.js'
import { connectTarget } from './plan.js'
import { prepareSession } from './sql-functions.js'

export interface RunOnConnectionsOptions<T> {
  /** Where the pool's own connections go, each prepared with the run's key; null: only `first` works. */
  session: { target: string; key: SanitizeKey } | null
  /** Connections working at once, `first` included (never more than there are items). */
  jobs: number
  /** An open, prepared connection that works as one of them; the caller keeps (and ends) it. */
  first?: pg.Client
  /** How big an item is: the biggest start first, so the last to finish is a small one. */
  size: (item: T) => number
  /** Once it fires no item starts, and the statement each of the pool's own connections runs is cancelled. */
  signal?: AbortSignal
}

/**
 * Runs `work` over `items` on up to `jobs` connections, each taking the next item when it is done
 * with one; results come back in item order. The first error wins: the other connections finish the
 * item they hold, take no other, and are closed before it is thrown, so nothing of the run is still
 * working (or connected) once this returns or throws.
 */
export async function runOnConnections<T, R>(items: readonly T[], options: RunOnConnectionsOptions<T>, work: (client: pg.Client, item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  const queue = items.map((item, i) => ({ item, i })).sort((a, b) => options.size(b.item) - options.size(a.item))
  const { session, first, signal } = options
  const errors: unknown[] = []
  // An error stops the others taking work at once, not only once its connection is closed.
  const drain = async (client: pg.Client) => {
    try {
      while (queue.length && !errors.length && !signal?.aborted) {
        const next = queue.shift()!
        results[next.i] = await work(client, next.item)
      }
    } catch (error) {
      errors.push(error)
    }
  }
  const own = async ({ target, key }: { target: string; key: SanitizeKey }) => {
    const client = await connectTarget(target)
    try {
      const stopCancel = await cancelOnAbort(client, target, signal)
      try {
        await prepareSession(client, key)
        await drain(client)
      } finally {
        stopCancel()
      }
    } finally {
      await client.end().catch(() => undefined)
    }
  }
  const count = Math.min(session ? Math.max(1, options.jobs) : first ? 1 : 0, items.length)
  const workers = Array.from({ length: count }, (_, n) => (n === 0 && first ? drain(first) : own(session!)))
  await Promise.all(workers.map((w) => w.catch((error: unknown) => void errors.push(error))))
  if (errors.length) throw errors[0]
  return results
}

/** Cancels the connection's running statement when the signal fires: its transaction then rolls back. */
async function cancelOnAbort(client: pg.Client, url: string, signal?: AbortSignal): Promise<() => void> {
  if (!signal) return () => undefined
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
  const onAbort = () => {
    // The busy connection cannot send it: a short-lived second one does.
    const c = newClient({ connectionString: url })
    c.connect().then(() => c.query('SELECT pg_cancel_backend($1)', [pid])).catch(() => undefined).finally(() => c.end().catch(() => undefined))
  }
  signal.addEventListener('abort', onAbort, { once: true })
  return () => signal.removeEventListener('abort', onAbort)
}
