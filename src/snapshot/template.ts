import { randomBytes } from 'node:crypto'
import type { PostgresHandle } from '../postgres/provider.js'
import { quoteIdent } from '../postgres/sql.js'
import { execOn } from '../postgres/cluster-handle.js'

/** Names of the scratch databases we create: recognisable, so a crashed run's leftovers can be swept. */
export function scratchName(kind: 'snapshot' | 'run' | 'source'): string {
  return `kdb_${kind}_${randomBytes(4).toString('hex')}`
}

/** The database's real name on the server: the url provider prefixes the names of its scratch databases. */
export function physicalName(handle: PostgresHandle, database: string): string {
  return decodeURIComponent(new URL(handle.urlFor(database)).pathname.slice(1))
}

/**
 * Freezes a restored snapshot as a template: no connections (CREATE DATABASE ... TEMPLATE needs the
 * template idle), so every run starts from a byte-identical copy instead of restoring again.
 */
export async function freezeTemplate(handle: PostgresHandle, database: string): Promise<void> {
  await execOn(handle.url, `ALTER DATABASE ${quoteIdent(physicalName(handle, database))} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`)
}

/** Lets us connect to a frozen template again (to read its baseline), and freezes it back afterwards. */
export async function withTemplateOpen<T>(handle: PostgresHandle, database: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = quoteIdent(physicalName(handle, database))
  await execOn(handle.url, `ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`)
  try {
    return await fn(handle.urlFor(database))
  } finally {
    await execOn(handle.url, `ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`)
  }
}

/** A fresh copy of the template; returns its name, URL and how long the copy took. */
export async function cloneTemplate(handle: PostgresHandle, template: string): Promise<{ name: string; url: string; durationMs: number }> {
  const name = scratchName('run')
  const started = performance.now()
  // FILE_COPY copies the files after a checkpoint; WAL_LOG (the Postgres 15 default) writes every block
  // through WAL: 5x slower for a 1 GB snapshot (bench/clone-vs-restore.mjs, docs/snapshot.md).
  const url = await handle.createDatabase(name, { template, strategy: handle.pgMajor >= 15 ? 'file_copy' : undefined })
  return { name, url, durationMs: performance.now() - started }
}

/** Drops a scratch database or a template (the handle's dropDatabase unfreezes a template first). */
export async function dropScratch(handle: PostgresHandle, database: string): Promise<void> {
  await handle.dropDatabase(database)
}
