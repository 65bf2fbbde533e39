import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSanitize } from '../../../src/sanitize/run.js'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { CHURCH_RULES, TEST_KEY, findOriginals, joinCounts, loadChurchDataset, originalValues } from './church-dataset.js'

let server: PostgresHandle
beforeAll(async () => {
  server = await startTestPostgres()
  await server.createDatabase('church')
  await using client = await connect(server.urlFor('church'))
  await loadChurchDataset(client)
})
afterAll(async () => server?.stop())

const env = { KOINONIA_SANITIZE_KEY: TEST_KEY }

describe('sanitize run on the church-messaging dataset', () => {
  it('masks every personal value, keeps joins and unique keys, and its scan finds nothing', async () => {
    const url = await server.createDatabase('run1', { template: 'church' })
    let before: Record<string, number>
    let originals: { exact: string[]; phones: string[] }
    {
      await using client = await connect(url)
      before = await joinCounts(client)
      originals = await originalValues(client)
    }
    const report = await runSanitize({ url, rules: CHURCH_RULES, env, jobs: 2 })
    expect(report.problems).toEqual([])
    expect(report.unclassified).toEqual([])
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    expect(report.leaks).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.scan.fingerprints).toBeGreaterThan(5000)
    await using client = await connect(url)
    expect(await findOriginals(client, originals)).toEqual([])
    expect(await joinCounts(client)).toEqual(before)
    // Unique indexes were rebuilt and are valid; the foreign keys were re-added and validated.
    const invalid = await client.query(`SELECT indexrelid::regclass::text AS i FROM pg_index WHERE NOT indisvalid AND indrelid::regclass::text IN ('users','contacts','messages','churches')`)
    expect(invalid.rows).toEqual([])
    const fks = await client.query(`SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1`)
    expect(fks.rows.length).toBe(6)
    expect(fks.rows.every((r) => r.convalidated)).toBe(true)
    const sample = (await client.query(`SELECT u.email, c.email AS contact_email, u.password_hash FROM users u JOIN contacts c ON lower(c.email) = u.email LIMIT 1`)).rows[0]
    expect(sample.email).toMatch(/^user_[0-9a-f]{20}@example\.com$/)
    expect(sample.password_hash).toBe('$2b$10$CwTycUXWue0Thq9StjUM0uJ8.jyD2b4Z8Xq9GvR1mFQz5GQ1vZ0e.')
  })
})
