/**
 * One interface, several providers: each turns options into a started handle that owns its cleanup.
 * `await using pg = await startPostgres({ provider: 'embedded', pgMajor: 15 })`
 */
export type ProviderName = 'embedded' | 'system' | 'testcontainers' | 'url'

export interface StartOptions {
  /** Postgres major version wanted (the production version). Default 15. */
  pgMajor?: number
  /** Label carried by everything we start, so a crashed run can be swept. */
  label?: string
  /** Docker image for the testcontainers provider. Default `postgres:<major>`. */
  image?: string
  /** Server URL for the url provider. */
  url?: string
  /** Extra `postgresql.conf` settings for providers that start a server. */
  settings?: Record<string, string>
  /** How long a server may take to accept connections (default 60 s; containers 120 s). */
  startTimeoutSeconds?: number
  /** Progress messages for long steps (download, initdb, start). */
  onProgress?: (message: string) => void
  signal?: AbortSignal
}

export interface PostgresHandle extends AsyncDisposable {
  readonly provider: ProviderName
  /** Superuser connection URL to the maintenance database. */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  /** Full server version, e.g. "15.18". */
  readonly serverVersion: string
  readonly pgMajor: number
  /** Folder with this server's client tools (pg_dump, pg_restore, psql), when known. */
  readonly clientBindir: string | null
  /** Connection URL for another database on this server. */
  urlFor(database: string): string
  /**
   * Creates a scratch database (optionally a clone of a template; sessions on our own template are
   * terminated first) and returns its URL. `strategy` (Postgres 15+) picks how the clone is written:
   * FILE_COPY copies files after a checkpoint, often faster for large templates; WAL_LOG is the default.
   */
  createDatabase(name: string, options?: { template?: string; strategy?: 'wal_log' | 'file_copy' }): Promise<string>
  dropDatabase(name: string): Promise<void>
  /** Stops the server (or drops the scratch databases, for url) and removes what was created. Idempotent. */
  stop(): Promise<void>
}

export interface PostgresProvider {
  readonly name: ProviderName
  /** Whether this provider can run here, and why not. */
  available(options?: StartOptions): Promise<{ ok: true } | { ok: false; reason: string }>
  start(options?: StartOptions): Promise<PostgresHandle>
}
