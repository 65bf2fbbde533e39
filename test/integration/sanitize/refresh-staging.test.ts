import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { refreshStaging, STAGING_MARKER } from '../../../src/sanitize/refresh-staging.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { CHURCH_RULES, TEST_KEY, findOriginals, loadChurchDataset, originalValues } from './church-dataset.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
let server: PostgresHandle
let prod: string
beforeAll(async () => {
  server = await startTestPostgres()
  prod = await server.createDatabase('prod')
  await using client = await connect(prod)
  await loadChurchDataset(client)
})
afterAll(async () => server?.stop())

const env = { KOINONIA_SANITIZE_KEY: TEST_KEY }
/** A checksum of every row of the source: it must not change. */
async function fingerprint(url: string): Promise<string> {
  await using c = await connect(url)
  const { rows } = await c.query(`SELECT md5(string_agg(x, '|' ORDER BY x)) AS h FROM (
    SELECT 'u' || u::text AS x FROM users u UNION ALL SELECT 'c' || c::text FROM contacts c UNION ALL SELECT 'm' || m::text FROM messages m) s`)
  return rows[0].h
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.cjs'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 240_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('refresh-staging', () => {
  it('refuses the same database and an unmarked target; with the flag it restores, masks, scans and marks', async () => {
    await expect(refreshStaging({ source: prod, target: prod, rules: CHURCH_RULES, env, iKnowThisIsStaging: true })).rejects.toMatchObject({ code: 'KDB_REFRESH_SAME_DATABASE' })
    const staging = await server.createDatabase('staging')
    await expect(refreshStaging({ source: prod, target: staging, rules: CHURCH_RULES, env })).rejects.toMatchObject({ code: 'KDB_REFRESH_NOT_STAGING' })
    const before = await fingerprint(prod)
    let originals
    {
      await using c = await connect(prod)
      originals = await originalValues(c)
    }
    const result = await refreshStaging({ source: prod, target: staging, rules: CHURCH_RULES, env, iKnowThisIsStaging: true, jobs: 2 })
    expect(result.report.leaks).toEqual([])
    expect(result.ok).toBe(true)
    expect(await fingerprint(prod)).toBe(before)
    await using c = await connect(staging)
    expect((await c.query('SELECT count(*) AS n FROM messages')).rows[0].n).toBe('3000')
    expect(await findOriginals(c, originals)).toEqual([])
    const comment = (await c.query(`SELECT shobj_description(oid, 'pg_database') AS d FROM pg_database WHERE datname = 'staging'`)).rows[0].d
    expect(comment).toContain(STAGING_MARKER)
  })

  it('CLI: a second refresh needs no flag (the marker is there); JSON report on stdout, exit 0', () => {
    const r = cli(['refresh-staging', '--source', prod, '--target', server.urlFor('staging'), '--rules', CHURCH_RULES, '--format', 'json'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report).toMatchObject({ version: 1, ok: true, leaks: [], unclassified: [] })
    const users = report.tables.find((t: { name: string }) => t.name === 'public.users')
    expect(users).toMatchObject({ rows: 300, status: 'masked' })
    expect(users.columns).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'email', rule: 'email', masked: 300 })]))
  })

  it('CLI: refusing an unmarked target is a usage error (exit 2) with a hint', async () => {
    await server.createDatabase('other')
    const r = cli(['refresh-staging', '--source', prod, '--target', server.urlFor('other'), '--rules', CHURCH_RULES])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/not marked as staging \[KDB_REFRESH_NOT_STAGING\]\n  hint: .*--i-know-this-is-staging/)
  })

  it('CLI: sanitize check exits 1 and lists an unclassified column', async () => {
    const url = await server.createDatabase('checkme', { template: 'prod' })
    {
      await using c = await connect(url)
      await c.query('ALTER TABLE users ADD COLUMN mobile text')
    }
    const r = cli(['sanitize', 'check', '--target', url, '--rules', CHURCH_RULES])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('public.users.mobile: unclassified')
  })
})
