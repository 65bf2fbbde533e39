import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverMigrations } from '../../../src/migrations/discover-migrations.js'
import { generateDown, generateDowns, generateDownScript } from '../../../src/migrations/down/generate-down-script.js'
import { migrateToLatest } from '../../../src/migrations/migrate-to-latest.js'
import { applyMigration } from '../../../src/migrations/apply-migration.js'
import { downMigration } from '../../../src/migrations/down-migration.js'
import type { MigrationProject } from '../../../src/migrations/types.js'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'

let server: PostgresHandle
let project: MigrationProject
beforeAll(async () => {
  server = await startTestPostgres()
  project = await discoverMigrations({ cwd: 'fixtures/prisma-app' })
})
afterAll(async () => { await server?.stop() })

describe('generateDownScript on the church-messaging fixture', () => {
  it('produces, for every migration, a script that gives back the schema before it (checked on a real database)', async () => {
    const downs = await generateDowns(server.url, project, [...project.migrations].reverse())
    expect(downs.map((d) => d.migration)).toEqual(project.migrations.map((m) => m.name))
    for (const down of downs) {
      if (process.env.KDB_PRINT_DOWN) console.log(`${down.migration}\n${down.sql}`)
      expect(down.differences, down.migration).toEqual([])
      expect(down.verified).toBe(true)
    }
    // One at a time gives the same scripts.
    expect((await generateDown(server.url, project, project.migrations[7])).sql).toBe(downs[7].sql)
    expect((await generateDown(server.url, project, project.migrations[0])).sql).toBe(downs[0].sql)
    await using admin = await connect(server.url)
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'kdb_down_%'`)
    expect(rows).toEqual([])
  })

  it('undoes the Prisma "rename" by re-adding notes empty, and says the data is not restored', async () => {
    const rename = project.migrations.find((m) => m.name.endsWith('rename_contact_notes_to_memo'))!
    const sql = await generateDownScript(server.url, project, rename)
    expect(sql).toMatch(/ALTER TABLE "Contact" DROP COLUMN "memo";/)
    expect(sql).toMatch(/ALTER TABLE "Contact" ADD COLUMN "notes" text;/)
    expect(sql).toMatch(/Warnings:[\s\S]*"notes" of "Contact" is re-created empty/)
  })

  it('drops the enum and column of add_campaign_segment, the index of index_messages_by_sent_at, and restores the type of campaign_schedule_timezone', async () => {
    const by = (suffix: string) => project.migrations.find((m) => m.name.endsWith(suffix))!
    expect(await generateDownScript(server.url, project, by('add_campaign_segment'))).toMatch(
      /ALTER TABLE "Campaign" DROP COLUMN "audience";\n\nDROP TYPE "Audience";/)
    expect(await generateDownScript(server.url, project, by('index_messages_by_sent_at'))).toMatch(/DROP INDEX "Message_churchId_sentAt_idx";/)
    expect(await generateDownScript(server.url, project, by('campaign_schedule_timezone'))).toMatch(
      /ALTER TABLE "Campaign" ALTER COLUMN "scheduledAt" SET DATA TYPE timestamp\(3\) without time zone/)
  })

  it('the generated down of a type change keeps the data, where the hand-written down.sql loses it', async () => {
    const url = await server.createDatabase('down_data')
    await migrateToLatest(url, project, { limit: 6 })
    await using c = await connect(url)
    await c.query(`INSERT INTO "Church" (id, name, slug, "updatedAt") VALUES ('c1', 'Grace', 'grace', now());
      INSERT INTO "User" (id, "churchId", email) VALUES ('u1', 'c1', 'pastor@grace.example');
      INSERT INTO "Campaign" (id, "churchId", name, template, "scheduledAt", "createdById") VALUES ('k1', 'c1', 'Easter', 'He is risen', '2025-04-20 08:00', 'u1')`)
    await migrateToLatest(url, project, { limit: 1 })
    const migration = project.migrations[6]
    await c.query(await generateDownScript(server.url, project, migration))
    expect((await c.query(`SELECT "scheduledAt"::text AS at FROM "Campaign"`)).rows[0].at).toBe('2025-04-20 08:00:00')
    await c.query(`DELETE FROM _prisma_migrations WHERE migration_name = $1`, [migration.name])
    await migrateToLatest(url, project, { limit: 1 })
    // The hand-written down.sql shipped in the fixture, run as Prisma would run it: schema back, values gone.
    const down = downMigration(migration)!
    expect(down.upPath).toBe(migration.downPath)
    expect((await applyMigration(c, down, project)).status).toBe('applied')
    expect((await c.query(`SELECT "scheduledAt" FROM "Campaign"`)).rows[0].scheduledAt).toBeNull()
  })

  it('describes every schema as a fresh session would, though a migration SETs search_path on the one walk connection', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kdb-down-'))
    try {
      mkdirSync(join(root, 'migrations'))
      writeFileSync(join(root, 'migrations/001_app.sql'), 'CREATE SCHEMA app;\nCREATE TABLE app.t (id int PRIMARY KEY);\n')
      writeFileSync(join(root, 'migrations/002_path.sql'), 'SET search_path TO app, public;\nALTER TABLE t ADD COLUMN x int;\n')
      writeFileSync(join(root, 'migrations/003_more.sql'), 'ALTER TABLE t ADD COLUMN y int;\n')
      const sqlProject = await discoverMigrations({ cwd: root })
      const downs = await generateDowns(server.url, sqlProject, sqlProject.migrations.slice(1))
      expect(downs.map((d) => d.statements)).toEqual([['ALTER TABLE app.t DROP COLUMN "x"'], ['ALTER TABLE app.t DROP COLUMN "y"']])
      expect(downs.every((d) => d.verified)).toBe(true)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('names the migration that breaks the history, and leaves no scratch database behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kdb-down-'))
    try {
      cpSync('fixtures/prisma-app', root, { recursive: true })
      mkdirSync(join(root, 'prisma/migrations/20250101000000_broken'))
      writeFileSync(join(root, 'prisma/migrations/20250101000000_broken/migration.sql'), 'SELECT 1;\nALTER TABLE "Nope" ADD COLUMN "x" INT;\n')
      const broken = await discoverMigrations({ cwd: root })
      const error = await generateDownScript(server.url, broken, broken.migrations.at(-1)!).catch((e) => e)
      expect(error.code).toBe('KDB_DOWN_HISTORY_FAILED')
      expect(error.file).toBe(join(root, 'prisma/migrations/20250101000000_broken/migration.sql'))
      expect(error.message).toMatch(/"Nope" does not exist/)
      await using admin = await connect(server.url)
      expect((await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'kdb_down_%'`)).rows).toEqual([])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
