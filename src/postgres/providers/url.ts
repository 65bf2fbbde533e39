import { randomBytes } from 'node:crypto'
import { EnvironmentError, UsageError } from '../../errors.js'
import { registerCleanup } from '../cleanup-registry.js'
import { createDatabaseOn, dropDatabaseOn } from '../create-database.js'
import { execOn } from '../exec-on.js'
import type { PostgresHandle, PostgresProvider, StartOptions } from '../provider.js'
import { ownerGone, type Owner } from '../owner-file.js'
import { quoteIdent, quoteLiteral } from '../sql.js'
import { hostname } from 'node:os'

/** Postgres' identifier limit (NAMEDATALEN - 1); longer names are silently truncated by the server. */
const MAX_NAME = 63

function parseUrl(raw: string | undefined): URL {
  if (!raw)
    throw new UsageError('KDB_URL_REQUIRED', 'the url provider needs a server URL', {
      hint: 'Pass --url postgres://user:password@host:port/database (a role allowed to CREATE DATABASE).',
    })
  try {
    const url = new URL(raw)
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(url.protocol)
    return url
  } catch {
    throw new UsageError('KDB_URL_INVALID', `"${raw.replace(/:[^:@/]*@/, ':***@')}" is not a postgres:// URL`, {
      hint: 'Use the form postgres://user:password@host:port/database.',
    })
  }
}

function withDatabase(url: URL, database: string): string {
  const copy = new URL(url)
  copy.pathname = `/${encodeURIComponent(database)}`
  return copy.toString()
}

/** `koinonia_<label>_<random>`: lowercase so it needs no quoting in psql sessions people open to look. */
export function scratchPrefix(label: string): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 20) || 'run'
  return `koinonia_${clean}_${randomBytes(4).toString('hex')}`
}

/**
 * An existing server. The handle works only inside databases it created: `url` points at a scratch
 * database `koinonia_<label>_<random>`, `createDatabase(name)` creates `<that>_<name>`, and stop()
 * drops exactly those. Other databases can be read through urlFor() but are never created, dropped or
 * disconnected by us.
 */
export const urlProvider: PostgresProvider = {
  name: 'url',
  async available(options: StartOptions = {}) {
    try {
      const url = parseUrl(options.url)
      await execOn(url.toString(), 'SELECT 1')
      return { ok: true }
    } catch (error) {
      return { ok: false, reason: (error as Error).message }
    }
  },
  async start(options: StartOptions = {}): Promise<PostgresHandle> {
    const server = parseUrl(options.url)
    const adminUrl = server.toString()
    let version: string
    let canCreate: boolean
    try {
      const { rows } = await execOn(adminUrl, "SELECT current_setting('server_version') AS v, (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user) AS c")
      version = String(rows[0].v).split(' ')[0]
      canCreate = rows[0].c === true
    } catch (error) {
      throw new EnvironmentError('KDB_PG_UNREACHABLE', `cannot connect to ${server.host}: ${(error as Error).message}`, {
        hint: 'Check the URL, that the server is running and that it accepts this user from here.', cause: error,
      })
    }
    if (!canCreate)
      throw new EnvironmentError('KDB_PG_NO_CREATEDB', `role "${decodeURIComponent(server.username)}" may not create databases on ${server.host}`, {
        hint: 'Use a role with CREATEDB: the url provider works only in scratch databases it creates.',
      })
    const major = Number.parseInt(version, 10)
    if (options.pgMajor && options.pgMajor !== major)
      options.onProgress?.(`warning: the server at ${server.host} runs Postgres ${major}, not the requested ${options.pgMajor}`)

    const prefix = scratchPrefix(options.label ?? 'url')
    const created = new Map<string, string>() // logical name → physical name, in creation order
    const physical = (name: string) => created.get(name) ?? name
    const scratchName = (name: string) => {
      const full = `${prefix}_${name}`
      if (Buffer.byteLength(full) > MAX_NAME)
        throw new UsageError('KDB_DB_NAME_TOO_LONG', `database name "${name}" is too long for a scratch database (limit ${MAX_NAME - prefix.length - 1} bytes)`, {
          hint: 'Use a shorter database name.',
        })
      return full
    }
    // One database that cannot be dropped must not keep the others alive: drop all, then report failures.
    const dropAll = async () => {
      const failures: unknown[] = []
      for (const [logical, name] of [...created.entries()].reverse()) {
        try {
          await dropDatabaseOn(adminUrl, name)
          created.delete(logical)
        } catch (error) {
          failures.push(error)
        }
      }
      if (failures.length > 0)
        throw new EnvironmentError('KDB_PG_CLEANUP_FAILED', `could not drop ${failures.length} scratch database(s) on ${server.host}: ${(failures[0] as Error).message}`, {
          hint: 'Drop them by hand or run sweepUrl() once the server is reachable.', cause: failures[0],
        })
    }
    let stopping: Promise<void> | null = null
    const stop = () => (stopping ??= dropAll().finally(() => unregister()))
    const unregister = registerCleanup({
      description: `scratch databases ${prefix}* on ${server.host}`,
      stop,
      // No synchronous client for Postgres: leftovers are named koinonia_* and sweepUrl() removes them.
      killSync: () => undefined,
    })
    try {
      await createDatabaseOn(adminUrl, prefix)
      created.set(prefix, prefix)
      await markDatabase(adminUrl, prefix, options.label ?? 'url')
      options.signal?.throwIfAborted()
    } catch (error) {
      await stop()
      throw error
    }
    const handle: PostgresHandle = {
      provider: 'url',
      url: withDatabase(server, prefix),
      host: server.hostname,
      port: Number(server.port || 5432),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
      serverVersion: version,
      pgMajor: major,
      clientBindir: null,
      urlFor: (db) => withDatabase(server, physical(db)),
      async createDatabase(name, opts = {}) {
        const full = scratchName(name)
        // Only our own templates get their sessions terminated; others' databases are left alone.
        const ownTemplate = opts.template !== undefined && created.has(opts.template)
        await createDatabaseOn(adminUrl, full, {
          template: opts.template === undefined ? undefined : physical(opts.template),
          terminateTemplateSessions: ownTemplate,
          strategy: opts.strategy,
        })
        created.set(name, full)
        await markDatabase(adminUrl, full, options.label ?? 'url')
        return withDatabase(server, full)
      },
      async dropDatabase(name) {
        const full = created.get(name)
        if (!full)
          throw new UsageError('KDB_DB_NOT_OURS', `database "${name}" was not created by this handle`, {
            hint: 'The url provider drops only the scratch databases it created.',
          })
        await dropDatabaseOn(adminUrl, full)
        created.delete(name)
      },
      stop,
      [Symbol.asyncDispose]: stop,
    }
    return handle
  },
}

/** The owning process, in the database's comment, so sweepUrl() can tell a crashed run from a live one. */
async function markDatabase(adminUrl: string, name: string, label: string): Promise<void> {
  const owner: Owner = { pid: process.pid, host: hostname(), label, createdAt: new Date().toISOString() }
  await execOn(adminUrl, `COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(`koinonia-db ${JSON.stringify(owner)}`)}`)
}

/**
 * Drops scratch databases `koinonia_*` whose owning process (recorded in the database comment) is gone.
 * Databases of live runs, and of runs on other hosts unless `force`, are left alone.
 */
export async function sweepUrl(url: string, options: { force?: boolean } = {}): Promise<string[]> {
  const admin = parseUrl(url).toString()
  const { rows } = await execOn(admin, `SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database
    WHERE datname LIKE ${quoteLiteral('koinonia\\_%')} ORDER BY length(datname) DESC`)
  const dropped: string[] = []
  for (const { datname, note } of rows as { datname: string; note: string | null }[]) {
    const json = note?.startsWith('koinonia-db ') ? note.slice('koinonia-db '.length) : null
    if (!json) continue
    let owner: Owner
    try {
      owner = JSON.parse(json) as Owner
    } catch {
      continue
    }
    if (!options.force && !ownerGone(owner)) continue
    await dropDatabaseOn(admin, datname)
    dropped.push(datname)
  }
  return dropped
}
