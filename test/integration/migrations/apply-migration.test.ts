import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyMigration } from '../../../src/migrations/apply-migration.js'
import { discoverMigrations } from '../../../src/migrations/discover-migrations.js'
import { migrateToLatest } from '../../../src/migrations/migrate-to-latest.js'
import { readAppliedMigrations } from '../../../src/migrations/migrations-table.js'
import { planMigrations } from '../../../src/migrations/plan-migrations.js'
import type { Migration, MigrationProject } from '../../../src/migrations/types.js'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'

let server: PostgresHandle
let n = 0
beforeAll(async () => { server = await startTestPostgres() })
afterAll(async () => { await server?.stop() })
const freshDb = () => server.createDatabase(`apply_${++n}`)

const temps: string[] = []
afterAll(() => { for (const t of temps) rmSync(t, { recursive: true, force: true }) })

/** A one-off Prisma project with the given migrations. */
async function prismaProject(migrations: Record<string, string>, prismaVersion = '6.19.0'): Promise<MigrationProject> {
  const root = mkdtempSync(join(tmpdir(), 'kdb-apply-'))
  temps.push(root)
  for (const [name, sql] of Object.entries(migrations)) {
    cpSync(resolve('fixtures/prisma-app/prisma/migrations/migration_lock.toml'), join(root, 'prisma/migrations/migration_lock.toml'))
    const dir = join(root, 'prisma/migrations', name)
    cpSync(resolve('fixtures/prisma-app/prisma/migrations/migration_lock.toml'), join(dir, '..', 'migration_lock.toml'))
    writeFileSync(join(root, 'package.json'), JSON.stringify({ devDependencies: { prisma: prismaVersion } }))
    await import('node:fs').then((fs) => fs.mkdirSync(dir, { recursive: true }))
    writeFileSync(join(dir, 'migration.sql'), sql)
  }
  return discoverMigrations({ cwd: root })
}

async function tables(url: string): Promise<string[]> {
  await using c = await connect(url)
  const { rows } = await c.query(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1`)
  return rows.map((r) => r.relname)
}

describe('migrateToLatest on the Prisma fixture', () => {
  it('applies every migration and writes _prisma_migrations exactly as Prisma does', async () => {
    const project = await discoverMigrations({ cwd: 'fixtures/prisma-app' })
    const url = await freshDb()
    const result = await migrateToLatest(url, project)
    expect(result.ok).toBe(true)
    expect(result.results.map((r) => r.migration)).toEqual(project.migrations.map((m) => m.name))

    await using c = await connect(url)
    const columns = await c.query(`SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
      FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`)
    expect(columns.rows.map((r) => [r.column_name, r.data_type, r.character_maximum_length, r.is_nullable, r.column_default])).toEqual([
      ['id', 'character varying', 36, 'NO', null],
      ['checksum', 'character varying', 64, 'NO', null],
      ['finished_at', 'timestamp with time zone', null, 'YES', null],
      ['migration_name', 'character varying', 255, 'NO', null],
      ['logs', 'text', null, 'YES', null],
      ['rolled_back_at', 'timestamp with time zone', null, 'YES', null],
      ['started_at', 'timestamp with time zone', null, 'NO', 'now()'],
      ['applied_steps_count', 'integer', null, 'NO', '0'],
    ])
    const pkey = await c.query(`SELECT conname FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'`)
    expect(pkey.rows[0].conname).toBe('_prisma_migrations_pkey')
    const rows = (await c.query('SELECT * FROM _prisma_migrations ORDER BY started_at')).rows
    expect(rows).toHaveLength(8)
    for (const [i, row] of rows.entries()) {
      expect(row.migration_name).toBe(project.migrations[i].name)
      expect(row.checksum).toBe(project.migrations[i].checksum)
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(row.applied_steps_count).toBe(1)
      expect(row.finished_at).toBeInstanceOf(Date)
      expect(row.logs).toBeNull()
      expect(row.rolled_back_at).toBeNull()
    }
    expect(await tables(url)).toEqual(['Campaign', 'Church', 'Contact', 'Message', 'PhoneNumber', 'User', '_prisma_migrations'])
  })

  it('detects pending migrations: a database at the production state has the last 4 pending', async () => {
    const project = await discoverMigrations({ cwd: 'fixtures/prisma-app' })
    const url = await freshDb()
    const first = await migrateToLatest(url, project, { limit: 4 })
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied'])
    await using c = await connect(url)
    const plan = planMigrations(project, await readAppliedMigrations(c, project))
    expect(plan.applied.map((m) => m.name)).toEqual(project.migrations.slice(0, 4).map((m) => m.name))
    expect(plan.pending.map((m) => m.name)).toEqual(project.migrations.slice(4).map((m) => m.name))
    const second = await migrateToLatest(url, project, { to: project.migrations[5].name })
    expect(second.alreadyApplied).toHaveLength(4)
    expect(second.results.map((r) => r.migration)).toEqual(project.migrations.slice(4, 6).map((m) => m.name))
  })

  it('an applied migration edited afterwards stops the run with KDB_MIGRATION_EDITED', async () => {
    const original = await prismaProject({ '1_init': 'CREATE TABLE "A" ("id" INT);\n', '2_more': 'CREATE TABLE "B" ("id" INT);\n' })
    const url = await freshDb()
    await migrateToLatest(url, original, { limit: 1 })
    writeFileSync(original.migrations[0].upPath, 'CREATE TABLE "A" ("id" BIGINT);\n')
    const edited = await discoverMigrations({ cwd: original.root })
    const error = await migrateToLatest(url, edited).catch((e) => e)
    expect(error.code).toBe('KDB_MIGRATION_EDITED')
    expect(error.file).toBe(original.migrations[0].upPath)
    expect(await tables(url)).toEqual(['A', '_prisma_migrations'])
  })
})

const failing = {
  '1_ok': 'CREATE TABLE "Kept" ("id" INT);\n',
  '2_breaks': '-- CreateTable\nCREATE TABLE "First" ("id" INT);\n\n-- AlterTable\nALTER TABLE "Missing" ADD COLUMN "x" INT;\n\nCREATE TABLE "Never" ("id" INT);\n',
  '3_after': 'CREATE TABLE "After" ("id" INT);\n',
}

describe('a failing migration', () => {
  it('before Prisma 7.4 (one query): nothing of the file stays, the row is left failed, later ones do not run', async () => {
    const project = await prismaProject(failing, '6.19.0')
    const url = await freshDb()
    const result = await migrateToLatest(url, project)
    expect(result.ok).toBe(false)
    const failed = result.results[1]
    expect(failed.status).toBe('failed')
    expect(failed.strategy).toBe('single-query')
    expect(failed.rolledBack).toBe(true)
    expect(failed.error).toMatchObject({ code: '42P01', statementIndex: 1, line: 5 })
    expect(failed.error?.message).toMatch(/relation "Missing" does not exist/)
    expect(result.results).toHaveLength(2)
    expect(await tables(url)).toEqual(['Kept', '_prisma_migrations'])
    await using c = await connect(url)
    const row = (await c.query(`SELECT * FROM _prisma_migrations WHERE migration_name = '2_breaks'`)).rows[0]
    expect(row.finished_at).toBeNull()
    expect(row.applied_steps_count).toBe(0)
    expect(row.logs).toMatch(/Database error code: 42P01/)
    // The next deploy refuses to run, as Prisma's P3009 does.
    expect((await migrateToLatest(url, project).catch((e) => e)).code).toBe('KDB_MIGRATION_FAILED_IN_DB')
  })

  it('from Prisma 7.4 (per statement): the statements before the failure stay applied', async () => {
    const project = await prismaProject(failing, '7.4.0')
    const url = await freshDb()
    const result = await migrateToLatest(url, project)
    const failed = result.results[1]
    expect(failed.strategy).toBe('per-statement')
    expect(failed.rolledBack).toBe(false)
    expect(failed.statements.map((s) => s.index)).toEqual([0])
    expect(failed.error).toMatchObject({ code: '42P01', statementIndex: 1, line: 5 })
    expect(await tables(url)).toEqual(['First', 'Kept', '_prisma_migrations'])
  })

  it('the observable transaction strategy ends exactly like the one-query path', async () => {
    const project = await prismaProject(failing, '6.19.0')
    const seen: number[] = []
    const url = await freshDb()
    const result = await migrateToLatest(url, project, { strategy: 'transaction', afterStatement: (s) => { seen.push(s.index) } })
    expect(result.results[1]).toMatchObject({ status: 'failed', strategy: 'transaction', rolledBack: true })
    expect(result.results[1].error).toMatchObject({ code: '42P01', statementIndex: 1, line: 5 })
    expect(seen).toEqual([0, 0])
    expect(await tables(url)).toEqual(['Kept', '_prisma_migrations'])
  })
})

describe('CREATE INDEX CONCURRENTLY', () => {
  const setup = 'CREATE TABLE "T" ("id" INT, "v" INT);\n'
  const cases: Array<[string, string, string, 'applied' | 'failed']> = [
    ['alone in its file, one query', 'single-query', 'CREATE INDEX CONCURRENTLY "T_v_idx" ON "T"("v");\n', 'applied'],
    ['alone in its file, transaction strategy', 'transaction', 'CREATE INDEX CONCURRENTLY "T_v_idx" ON "T"("v");\n', 'applied'],
    ['with another statement, one query', 'single-query', 'SELECT 1;\nCREATE INDEX CONCURRENTLY "T_v_idx" ON "T"("v");\n', 'failed'],
    ['with another statement, transaction strategy', 'transaction', 'SELECT 1;\nCREATE INDEX CONCURRENTLY "T_v_idx" ON "T"("v");\n', 'failed'],
    ['with another statement, per statement', 'per-statement', 'SELECT 1;\nCREATE INDEX CONCURRENTLY "T_v_idx" ON "T"("v");\n', 'applied'],
  ]
  for (const [title, strategy, sql, expected] of cases) {
    it(`${title}: ${expected}`, async () => {
      const url = await freshDb()
      await using c = await connect(url)
      await c.query(setup)
      const migration: Migration = { name: 'idx', kind: 'prisma', upPath: 'idx/migration.sql', upSql: sql, downPath: null, downSql: null, checksum: '' }
      const result = await applyMigration(c, migration, { kind: 'prisma', mode: 'single-query' }, { strategy: strategy as never })
      expect(result.status).toBe(expected)
      if (expected === 'failed') {
        expect(result.error?.code).toBe('25001')
        expect(result.error?.message).toMatch(/cannot run inside a transaction block/)
      }
      const idx = await c.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'T_v_idx'`)
      expect(idx.rows[0].n).toBe(expected === 'applied' ? 1 : 0)
      // The client is usable afterwards (no transaction left open).
      expect((await c.query('SELECT 1 AS one')).rows[0].one).toBe(1)
    })
  }
})

describe('transaction control written in the file', () => {
  it('honours the file own COMMIT the way the one-query path does', async () => {
    const sql = 'CREATE TABLE "A" ("id" INT);\nCOMMIT;\nCREATE TABLE "B" ("id" INT);\nSELECT 1/0;\n'
    for (const strategy of ['single-query', 'transaction'] as const) {
      const url = await freshDb()
      await using c = await connect(url)
      const migration: Migration = { name: 'tx', kind: 'prisma', upPath: 'tx.sql', upSql: sql, downPath: null, downSql: null, checksum: '' }
      const result = await applyMigration(c, migration, { kind: 'prisma', mode: 'single-query' }, { strategy })
      expect(result.error?.code).toBe('22012')
      // One query cannot say where a position-less error happened once part of the file is committed.
      expect(result.error?.statementIndex).toBe(strategy === 'transaction' ? 3 : null)
      expect(result.rolledBack).toBe(false)
      expect(await tables(url)).toEqual(['A'])
    }
  })
})

describe('a migration that does not parse', () => {
  it('is an input error naming file and line, raised before anything runs or is recorded', async () => {
    const project = await prismaProject({ '1_ok': 'CREATE TABLE "A" ("id" INT);\n', '2_typo': 'CREATE TABLE "B" ("id" INT);\nALTER TABEL "B" ADD "x" INT;\n' })
    const url = await freshDb()
    const error = await migrateToLatest(url, project).catch((e) => e)
    expect(error).toMatchObject({ code: 'KDB_MIGRATION_PARSE', kind: 'input', file: project.migrations[1].upPath, line: 2 })
    expect(await tables(url)).toEqual(['_prisma_migrations'])
    await using c = await connect(url)
    expect((await c.query('SELECT count(*)::int AS n FROM _prisma_migrations')).rows[0].n).toBe(0)
  })
})

describe('plain SQL projects', () => {
  it('record applied migrations in koinonia_migrations and skip them next time', async () => {
    const project = await discoverMigrations({ cwd: 'fixtures/sql-app' })
    const url = await freshDb()
    expect((await migrateToLatest(url, project, { limit: 2 })).results).toHaveLength(2)
    const rest = await migrateToLatest(url, project)
    expect(rest.alreadyApplied).toEqual(['001_create_churches', '002_add_members'])
    expect(rest.results.map((r) => r.migration)).toEqual(['003_members_email'])
    await using c = await connect(url)
    const rows = (await c.query('SELECT name, checksum FROM koinonia_migrations ORDER BY name')).rows
    expect(rows).toEqual(project.migrations.map((m) => ({ name: m.name, checksum: m.checksum })))
  })
})

describe('error positions', () => {
  it('are reported as a position and line in the file, whichever way the file was sent', async () => {
    const sql = 'CREATE TABLE "A" ("id" INT);\n\nINSERT INTO "A" ("id")\n  VALUES (\'été\'), (\'x\');\n'
    const expectedPosition = [...sql].indexOf("'", sql.indexOf('VALUES')) + 1
    for (const strategy of ['single-query', 'transaction', 'per-statement'] as const) {
      const url = await freshDb()
      await using c = await connect(url)
      const migration: Migration = { name: 'pos', kind: 'prisma', upPath: 'pos.sql', upSql: sql, downPath: null, downSql: null, checksum: '' }
      const result = await applyMigration(c, migration, { kind: 'prisma', mode: 'single-query' }, { strategy })
      expect(result.error).toMatchObject({ code: '22P02', statementIndex: 1, line: 4, position: expectedPosition })
    }
  })
})

describe('one query and the observable transaction path', () => {
  it('build the same schema and the same bookkeeping from the fixture', async () => {
    const { introspectSchema } = await import('../../../src/migrations/down/introspect-schema.js')
    const project = await discoverMigrations({ cwd: 'fixtures/prisma-app' })
    const described = []
    for (const strategy of ['single-query', 'transaction', 'per-statement'] as const) {
      const url = await freshDb()
      const result = await migrateToLatest(url, project, { strategy })
      expect(result.results.every((r) => r.strategy === strategy && r.status === 'applied')).toBe(true)
      await using c = await connect(url)
      const rows = (await c.query('SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY started_at')).rows
      described.push({ schema: await introspectSchema(c), rows })
    }
    expect(described[1]).toEqual(described[0])
    expect(described[2]).toEqual(described[0])
  })
})
