import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type pg from 'pg'
import { resolveKey } from '../../../src/sanitize/key.js'
import { runOnConnections } from '../../../src/sanitize/run-on-connections.js'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { TEST_KEY } from './church-dataset.js'

let server: PostgresHandle
let url: string
beforeAll(async () => {
  server = await startTestPostgres()
  url = await server.createDatabase('pool')
})
afterAll(async () => server?.stop())

const key = resolveKey({ KOINONIA_SANITIZE_KEY: TEST_KEY })
const pidOf = async (c: pg.Client) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
/** Connections to the test database other than `c`'s own. */
const others = async (c: pg.Client) =>
  (await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows[0].n as number

describe('runOnConnections', () => {
  it('starts the biggest items first on at most `jobs` prepared connections, returns results in item order and closes them', async () => {
    await using control = await connect(url)
    const started: string[] = []
    const pids = new Set<number>()
    const results = await runOnConnections(['a', 'bbb', 'cc', 'dddd', 'e'], { session: { target: url, key }, jobs: 2, size: (s) => s.length }, async (c, item) => {
      started.push(item)
      pids.add(await pidOf(c))
      // Prepared with the run's key; long enough that the second connection is up before the first is done.
      await c.query(`SELECT current_setting('koinonia.mi'), pg_sleep(0.2)`)
      return item.toUpperCase()
    })
    expect(results).toEqual(['A', 'BBB', 'CC', 'DDDD', 'E'])
    expect(started).toEqual(['dddd', 'bbb', 'cc', 'a', 'e'])
    expect(pids.size).toBe(2)
    expect(await others(control)).toBe(0)
  })

  it('the first error wins: the other connection finishes the item it holds, takes no other, and is closed before it is thrown', async () => {
    await using control = await connect(url)
    const started: string[] = []
    let slowFinished = false
    const run = runOnConnections(['slow', 'fails', 'x', 'y', 'z'], { session: { target: url, key }, jobs: 2, size: (s) => ({ slow: 3, fails: 2 })[s] ?? 1 }, async (c, item) => {
      started.push(item)
      if (item === 'slow') {
        await c.query('SELECT pg_sleep(0.5)')
        slowFinished = true
      }
      if (item === 'fails') throw new Error('first')
      if (item !== 'slow') throw new Error('a later item ran')
      return item
    })
    await expect(run).rejects.toThrow('first')
    expect(started).toEqual(['slow', 'fails'])
    expect(slowFinished).toBe(true)
    expect(await others(control)).toBe(0)
  })

  it('works on the caller\'s connection as the first worker and leaves it open; without a session only that one works', async () => {
    await using control = await connect(url)
    const mine = await pidOf(control)
    const pids = await runOnConnections([1, 2, 3], { session: null, jobs: 4, first: control, size: (n) => n }, (c) => pidOf(c))
    expect(pids).toEqual([mine, mine, mine])
    const mixed = await runOnConnections([1, 2, 3], { session: { target: url, key }, jobs: 2, first: control, size: () => 0 }, async (c) => {
      await c.query('SELECT pg_sleep(0.05)')
      return pidOf(c)
    })
    expect(new Set(mixed).size).toBe(2)
    expect(mixed).toContain(mine)
    expect(await others(control)).toBe(0)
  })

  it('a connection that cannot be made fails the run, after the one that works has stopped', async () => {
    await using control = await connect(url)
    const bad = url.replace(/\/[^/?]+(\?|$)/, '/no_such_database$1')
    const ran: number[] = []
    const run = runOnConnections([1, 2, 3, 4], { session: { target: bad, key }, jobs: 2, first: control, size: () => 0 }, async (c, n) => {
      ran.push(n)
      await c.query('SELECT pg_sleep(0.1)')
      return n
    })
    await expect(run).rejects.toMatchObject({ code: 'KDB_SANITIZE_CONNECT' })
    // The caller's connection finished the item it held and took no other.
    expect(ran.length).toBeLessThan(4)
    expect(await control.query('SELECT 1 AS one')).toMatchObject({ rows: [{ one: 1 }] })
  })

  it('cancels the statement each connection runs when the signal fires, and takes no other item', async () => {
    const controller = new AbortController()
    const ran: number[] = []
    const started = performance.now()
    const run = runOnConnections([1, 2, 3], { session: { target: url, key }, jobs: 2, size: () => 0, signal: controller.signal }, async (c, n) => {
      ran.push(n)
      if (ran.length === 2) setTimeout(() => controller.abort(), 100)
      await c.query('SELECT pg_sleep(30)')
    })
    await expect(run).rejects.toMatchObject({ code: '57014' })
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(ran).toEqual([1, 2])
  })

  it('takes no item once the signal has fired', async () => {
    const signal = AbortSignal.abort()
    const ran: number[] = []
    const results = await runOnConnections([1, 2], { session: { target: url, key }, jobs: 2, size: () => 0, signal }, async (_c, n) => void ran.push(n))
    expect(ran).toEqual([])
    expect(results).toHaveLength(2)
  })
})
