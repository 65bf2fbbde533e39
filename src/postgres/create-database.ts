import { execOn } from './exec-on.js'
import { quoteIdent } from './sql.js'

export interface CreateDatabaseOptions {
  template?: string
  /** CREATE DATABASE ... STRATEGY (Postgres 15+); omitted means the server's default (WAL_LOG). */
  strategy?: 'wal_log' | 'file_copy'
  /**
   * Terminate other sessions on the template first (default true). CREATE DATABASE ... TEMPLATE fails
   * while anyone is connected to the template: https://www.postgresql.org/docs/current/manage-ag-templatedbs.html
   * Off for templates we do not own (url provider): their sessions are not ours to end.
   */
  terminateTemplateSessions?: boolean
}

/** CREATE DATABASE, optionally as a clone of a template; retries once if a session slipped onto the template. */
export async function createDatabaseOn(adminUrl: string, name: string, options: CreateDatabaseOptions = {}): Promise<void> {
  const template = options.template ? ` TEMPLATE ${quoteIdent(options.template)}` : ''
  const strategy = options.strategy ? ` STRATEGY ${options.strategy === 'file_copy' ? 'FILE_COPY' : 'WAL_LOG'}` : ''
  const sql = `CREATE DATABASE ${quoteIdent(name)}${template}${strategy}`
  for (let attempt = 0; ; attempt++) {
    if (options.template && options.terminateTemplateSessions !== false)
      await execOn(adminUrl, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [options.template])
    try {
      await execOn(adminUrl, sql)
      return
    } catch (error) {
      // 55006 object_in_use: "source database ... is being accessed by other users"
      if ((error as { code?: string }).code !== '55006' || attempt >= 2 || options.terminateTemplateSessions === false) throw error
    }
  }
}

/**
 * DROP DATABASE ... WITH (FORCE) (Postgres 13+), so leftover sessions do not block cleanup. A database
 * frozen as a template (IS_TEMPLATE true) cannot be dropped, so it stops being one first.
 */
export async function dropDatabaseOn(adminUrl: string, name: string): Promise<void> {
  const { rows } = await execOn(adminUrl, 'SELECT datistemplate FROM pg_database WHERE datname = $1', [name])
  if (rows.length === 0) return
  if (rows[0].datistemplate) await execOn(adminUrl, `ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`)
  await execOn(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
}
