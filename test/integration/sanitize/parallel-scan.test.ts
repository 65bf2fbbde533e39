import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCatalog } from '../../../src/sanitize/catalog.js'
import { resolveKey } from '../../../src/sanitize/key.js'
import { planSanitize } from '../../../src/sanitize/plan.js'
import { runSanitize } from '../../../src/sanitize/run.js'
import { planChunks } from '../../../src/sanitize/scan-chunks.js'
import { scanWithClient } from '../../../src/sanitize/scan.js'
import { prepareSession } from '../../../src/sanitize/sql-functions.js'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { TEST_KEY } from './church-dataset.js'

let server: PostgresHandle
beforeAll(async () => {
  server = await startTestPostgres()
})
afterAll(async () => server?.stop())

const env = { KOINONIA_SANITIZE_KEY: TEST_KEY }
const rules = { version: 1 as const, tables: { people: { id: 'keep', email: 'email', phone: 'phone', full_name: 'name', nickname: 'keep', bio: 'keep' } } }
const ROWS = 3000

describe('leak scan over block ranges on several connections', () => {
  it('finds the same leaks as one connection, in the first and the last range, with no row scanned twice or skipped', async () => {
    const url = await server.createDatabase('chunked')
    await using client = await connect(url)
    // ~300 pages: long kept bios spread the rows; names copied into the kept nickname column are
    // original values no PII pattern sees, in rows on the first page, the middle and the last page.
    await client.query(`CREATE TABLE people (id int PRIMARY KEY, email text UNIQUE, phone text, full_name text, nickname text, bio text);
      INSERT INTO people SELECT g, 'member' || g || '@church.org', '+44 20 7946 ' || lpad(g::text, 4, '0'), 'Lydia Haddad ' || g, NULL, repeat('amen ', 150)
      FROM generate_series(1, ${ROWS}) g`)
    await client.query(`UPDATE people SET nickname = (SELECT full_name FROM people WHERE id = 17) WHERE id IN (1, 1500);
      UPDATE people SET bio = 'call ' || (SELECT phone FROM people WHERE id = 23) || ' or ' || (SELECT upper(email) FROM people WHERE id = 24) WHERE id = ${ROWS}`)
    const masked = await runSanitize({ target: url, rules, env, noScan: true })
    expect(masked.tables[0].status).toBe('masked')

    const key = resolveKey(env)
    const plan = await planSanitize({ target: url, rules })
    const people = (await readCatalog(client)).tables.get('public.people')!
    const chunks = await planChunks(client, [people], 3, 16)
    expect(chunks.map((c) => c.range)).toEqual([[0, chunks[0].range![1]], [chunks[0].range![1], chunks[2].range![0]], [chunks[2].range![0], null]])

    // A table a killed scan left behind (its backend is gone) is dropped by the next scan.
    await client.query('CREATE UNLOGGED TABLE koinonia_sanitize.scan_fps_999999 (fp bytea)')
    await prepareSession(client, key)
    const one = await scanWithClient(client, plan)
    const three = await scanWithClient(client, plan, { target: url, jobs: 3, key, chunkPages: 16 })
    const sorted = (leaks: typeof one.leaks) => leaks.map((l) => `${l.column} ${l.key} ${l.kind}`).sort()
    expect(sorted(three.leaks)).toEqual(sorted(one.leaks))
    expect(sorted(three.leaks)).toEqual([
      'bio id=3000 original-value', 'bio id=3000 pattern:email', 'bio id=3000 pattern:phone',
      'nickname id=1 original-value', 'nickname id=1500 original-value',
    ])
    // No connection or table of the parallel scan is left behind.
    const left = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
    expect(left.rows[0].n).toBe(0)
    const tables = await client.query(`SELECT relname FROM pg_class WHERE relname LIKE 'scan_fps_%'`)
    expect(tables.rows).toEqual([])
  })
})
