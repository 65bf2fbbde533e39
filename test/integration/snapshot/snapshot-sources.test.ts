import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverMigrations, migrateToLatest } from '../../../src/migrations/index.js'
import { clientTool } from '../../../src/postgres/binaries.js'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { redactUrl } from '../../../src/snapshot/dump-source.js'
import { verify } from '../../../src/snapshot/verify.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { INIT, sqlProject, TEST_PROVIDER } from './project.js'

const ADD_EMAIL = { name: '002_add_email', up: 'ALTER TABLE contact ADD COLUMN email text;\n', down: 'ALTER TABLE contact DROP COLUMN email;\n' }

describe('snapshot sources', () => {
  let source: PostgresHandle
  let sourceUrl: string
  const folder = mkdtempSync(join(tmpdir(), 'kdb-dumps-'))
  const project = sqlProject([INIT, ADD_EMAIL])

  beforeAll(async () => {
    source = await startTestPostgres()
    sourceUrl = await source.createDatabase('production')
    // Production has run 001 only, through the same bookkeeping the harness reads.
    const result = await migrateToLatest(sourceUrl, await discoverMigrations({ cwd: project.root }), { limit: 1 })
    expect(result.ok).toBe(true)
    await using client = await connect(sourceUrl)
    await client.query(`INSERT INTO church (name, city) SELECT 'church ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'city' END FROM generate_series(1, 40) g`)
    await client.query(`INSERT INTO contact (church_id, phone, nickname, score) SELECT 1 + g % 40, '+1555' || g, 'nick ' || g, g FROM generate_series(1, 2345) g`)
    const pgDump = clientTool('pg_dump', source.clientBindir, 15)
    for (const [format, file] of [['custom', 'prod.dump'], ['plain', 'prod.sql'], ['directory', 'prod.dir']])
      execFileSync(pgDump, [`--format=${format}`, '--file', join(folder, file), '--dbname', sourceUrl])
  })
  afterAll(async () => {
    await source?.stop()
    rmSync(folder, { recursive: true, force: true })
    project[Symbol.dispose]()
  })

  for (const [format, file] of [['custom', 'prod.dump'], ['plain', 'prod.sql'], ['directory', 'prod.dir']])
    it(`restores a ${format} pg_dump as the template and replays only what is pending`, async () => {
      const result = await verify({ cwd: project.root, provider: TEST_PROVIDER, snapshot: join(folder, file) })
      expect(result.snapshot).toMatchObject({ kind: 'dump', format, rows: null })
      expect(result.snapshot.cloneMs).toBeGreaterThan(0)
      expect(result.migrations.map((m) => [m.name, m.status])).toEqual([['002_add_email', 'applied']])
      expect(result.tables.find((t) => t.name === 'contact')).toMatchObject({ rowsBefore: 2345, rowsAfter: 2345, fingerprintMatch: true })
      expect(result.verdict).toBe('pass')
    })

  it('dumps a live database read-only and leaves it untouched', async () => {
    const before = await tableCounts(sourceUrl)
    const result = await verify({ cwd: project.root, provider: TEST_PROVIDER, snapshot: sourceUrl })
    expect(result.snapshot).toMatchObject({ kind: 'url', format: 'custom' })
    expect(result.snapshot.source).toBe(redactUrl(sourceUrl))
    expect(result.tables.find((t) => t.name === 'contact')?.rowsBefore).toBe(2345)
    expect(result.verdict).toBe('pass')
    expect(await tableCounts(sourceUrl)).toEqual(before)
  })

  it('runs on an existing server (url provider) and leaves exactly the databases that were there', async () => {
    const databases = async () => {
      await using client = await connect(source.url)
      return (await client.query('SELECT datname FROM pg_database ORDER BY 1')).rows.map((r) => r.datname)
    }
    const before = await databases()
    const result = await verify({ cwd: project.root, provider: 'url', url: source.url, snapshot: join(folder, 'prod.dump') })
    expect(result.provider).toBe('url')
    expect(result.migrations[0].statements[0].locks).toEqual(['AccessExclusiveLock on "contact"'])
    expect(result.rollback).toMatchObject({ ran: true, schemaMatches: true, dataMatches: true })
    expect(result.verdict).toBe('pass')
    expect(await databases()).toEqual(before)
  })

  it('refuses a dump from a newer Postgres, naming the file and the version to use', async () => {
    const file = join(folder, 'from-17.sql')
    writeFileSync(file, '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 17.2\n-- Dumped by pg_dump version 17.2\n\nCREATE TABLE x (id int);\n')
    await expect(verify({ cwd: project.root, provider: TEST_PROVIDER, snapshot: file })).rejects.toMatchObject({
      code: 'KDB_DUMP_TOO_NEW', kind: 'input', file, hint: expect.stringContaining('--pg-version 17'),
    })
  })

  it('refuses to run when an applied migration was edited after it ran in production', async () => {
    using edited = sqlProject([INIT, ADD_EMAIL])
    appendFileSync(join(edited.root, 'migrations', '001_init.sql'), 'CREATE INDEX contact_phone_idx ON contact (phone);\n')
    await expect(verify({ cwd: edited.root, provider: TEST_PROVIDER, snapshot: join(folder, 'prod.dump') })).rejects.toMatchObject({
      code: 'KDB_MIGRATION_EDITED', kind: 'input', file: join(edited.root, 'migrations', '001_init.sql'),
    })
  })
})

async function tableCounts(url: string): Promise<Record<string, number>> {
  await using client = await connect(url)
  const rows = (await client.query(`SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_user_tables ORDER BY relname`)).rows
  return Object.fromEntries(rows.map((r) => [r.relname, Number(r.writes)]))
}
