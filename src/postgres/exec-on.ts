import pg from 'pg'
import { newClient } from './client.js'

/** Runs one statement on a URL with a short-lived client. */
export async function execOn(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = newClient({ connectionString: url })
  await client.connect()
  try {
    return await client.query(sql, params)
  } finally {
    await client.end()
  }
}
