import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { quoteIdent } from '../postgres/sql.js'
import { newClient } from '../postgres/client.js'

export interface CanaryResult {
  /** Longest time one canary read waited, per table (ms). */
  readBlockedMs: Record<string, number>
  writeBlockedMs: Record<string, number>
  reads: number
  writes: number
}

export interface CanaryTable {
  key: string
  sql: string
  /** A column to write to itself (`SET c = c`): a real row lock and write, rolled back, data unchanged. */
  column: string
}

/**
 * A small application-like workload on two extra connections while the migration runs: one session
 * reads, one writes (in a transaction that is rolled back, so fingerprints are untouched). The longest
 * wait of each is how long real traffic would have stalled. Bounded: every query gives up after
 * `timeoutMs`, and the loops stop when `stop()` is called.
 */
export class Canary {
  private running = true
  private loops: Promise<void>[] = []
  private readonly result: CanaryResult = { readBlockedMs: {}, writeBlockedMs: {}, reads: 0, writes: 0 }

  private constructor(private readonly reader: pg.Client, private readonly writer: pg.Client, private readonly tables: CanaryTable[]) {}

  static async start(url: string, tables: CanaryTable[], timeoutMs = 60_000): Promise<Canary> {
    const open = async () => {
      const client = newClient({ connectionString: url, application_name: 'koinonia-db canary', statement_timeout: timeoutMs })
      await client.connect()
      return client
    }
    const canary = new Canary(await open(), await open(), tables)
    canary.loops = [canary.loop(canary.reader, 'read'), canary.loop(canary.writer, 'write')]
    return canary
  }

  private async loop(client: pg.Client, kind: 'read' | 'write'): Promise<void> {
    const live = [...this.tables]
    const waits = kind === 'read' ? this.result.readBlockedMs : this.result.writeBlockedMs
    while (this.running && live.length) {
      for (const table of [...live]) {
        if (!this.running) break
        const sql = kind === 'read'
          ? `SELECT 1 FROM ${table.sql} LIMIT 1`
          : `UPDATE ${table.sql} SET ${quoteIdent(table.column)} = ${quoteIdent(table.column)} WHERE ctid = (SELECT ctid FROM ${table.sql} LIMIT 1)`
        const t0 = performance.now()
        try {
          if (kind === 'write') await client.query('BEGIN')
          await client.query(sql)
          if (kind === 'write') await client.query('ROLLBACK')
          if (kind === 'read') this.result.reads++
          else this.result.writes++
        } catch {
          // The migration dropped or reshaped the table: the canary stops touching it.
          await client.query('ROLLBACK').catch(() => undefined)
          live.splice(live.indexOf(table), 1)
        }
        const ms = performance.now() - t0
        waits[table.key] = Math.max(waits[table.key] ?? 0, Math.round(ms * 10) / 10)
      }
      await sleep(5)
    }
  }

  async stop(): Promise<CanaryResult> {
    this.running = false
    await Promise.all(this.loops)
    await Promise.all([this.reader.end().catch(() => undefined), this.writer.end().catch(() => undefined)])
    return this.result
  }
}
