import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { discoverMigrations } from '../../src/migrations/discover-migrations.js'
import { KoinoniaError } from '../../src/errors.js'

const prismaApp = resolve('fixtures/prisma-app')
const sqlApp = resolve('fixtures/sql-app')
const temps: string[] = []
afterEach(() => { for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true }) })

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kdb-discover-'))
  temps.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

const init = '-- CreateTable\nCREATE TABLE "A" ("id" TEXT NOT NULL);\n'

describe('discoverMigrations', () => {
  it('finds the Prisma fixture in order, with its version, mode and checksums of the file bytes', async () => {
    const p = await discoverMigrations({ cwd: prismaApp })
    expect(p.kind).toBe('prisma')
    expect(p.migrationsDir).toBe(join(prismaApp, 'prisma', 'migrations'))
    expect(p.schemaPath).toBe(join(prismaApp, 'prisma', 'schema.prisma'))
    expect(p.prismaVersion).toBe('6.19.0')
    expect(p.mode).toBe('single-query')
    expect(p.migrations.map((m) => m.name)).toEqual([...p.migrations.map((m) => m.name)].sort())
    expect(p.migrations[0].name).toBe('20250110093000_init')
    expect(p.migrations).toHaveLength(8)
    for (const m of p.migrations) {
      const sha = execFileSync('sha256sum', [m.upPath], { encoding: 'utf8' }).split(' ')[0]
      expect(m.checksum).toBe(sha)
    }
    const withDown = p.migrations.filter((m) => m.downPath).map((m) => m.name)
    expect(withDown).toEqual(['20250604100000_campaign_schedule_timezone'])
  })

  it('lets the caller override the Prisma version, which switches the mode at 7.4', async () => {
    expect((await discoverMigrations({ cwd: prismaApp, prismaVersion: '7.4.0' })).mode).toBe('per-statement')
    expect((await discoverMigrations({ cwd: prismaApp, prismaVersion: '7.3.9' })).mode).toBe('single-query')
  })

  it('reads migrations.path and schema from prisma.config.ts without running it', async () => {
    const root = project({
      'prisma.config.ts': `import path from 'node:path'\nimport { defineConfig, env } from 'prisma/config'\n// migrations: { path: 'wrong' }\nexport default defineConfig({\n  schema: path.join('db', 'schema.prisma'),\n  migrations: { path: 'db/history', seed: 'tsx seed.ts' },\n  datasource: { url: env('DATABASE_URL') },\n})\n`,
      'db/schema.prisma': 'datasource db { provider = "postgresql" }\n',
      'db/history/20240101000000_init/migration.sql': init,
      'package.json': JSON.stringify({ devDependencies: { prisma: '^7.5.0' } }),
    })
    const p = await discoverMigrations({ cwd: root })
    expect(p.migrationsDir).toBe(join(root, 'db', 'history'))
    expect(p.schemaPath).toBe(join(root, 'db', 'schema.prisma'))
    expect(p.prismaVersion).toBe('7.5.0')
    expect(p.mode).toBe('per-statement')
    expect(p.migrations.map((m) => m.name)).toEqual(['20240101000000_init'])
  })

  it('defaults the migrations to the folder beside the configured schema', async () => {
    const root = project({
      'prisma.config.ts': `export default { schema: "database/schema.prisma" }\n`,
      'database/migrations/1_init/migration.sql': init,
    })
    expect((await discoverMigrations({ cwd: root })).migrationsDir).toBe(join(root, 'database', 'migrations'))
  })

  it('says which line of prisma.config.ts it cannot read statically', async () => {
    const root = project({ 'prisma.config.ts': `export default {\n  migrations: { path: process.env.MIGRATIONS },\n}\n` })
    const error = await discoverMigrations({ cwd: root }).catch((e) => e)
    expect(error).toBeInstanceOf(KoinoniaError)
    expect(error.code).toBe('KDB_PRISMA_CONFIG_DYNAMIC')
    expect(error.line).toBe(2)
    expect(error.hint).toMatch(/--migrations-dir/)
  })

  it('follows package.json prisma.schema', async () => {
    const root = project({
      'package.json': JSON.stringify({ prisma: { schema: 'src/db/schema.prisma' }, dependencies: { '@prisma/client': '5.22.0' } }),
      'src/db/schema.prisma': '',
      'src/db/migrations/20240101000000_init/migration.sql': init,
    })
    const p = await discoverMigrations({ cwd: root })
    expect(p.migrationsDir).toBe(join(root, 'src', 'db', 'migrations'))
    expect(p.prismaVersion).toBe('5.22.0')
  })

  it('refuses a Prisma folder without migration.sql, and a lock file for another database', async () => {
    const missing = project({ 'prisma/migrations/20240101000000_init/README.md': 'x' })
    expect((await discoverMigrations({ cwd: missing }).catch((e) => e)).code).toBe('KDB_MIGRATION_FILE_MISSING')
    const mysql = project({ 'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n', 'prisma/migrations/1_a/migration.sql': init })
    expect((await discoverMigrations({ cwd: mysql }).catch((e) => e)).code).toBe('KDB_MIGRATION_PROVIDER')
  })

  it('finds plain SQL migrations with <name>.down.sql and folder/up.sql + down.sql', async () => {
    const p = await discoverMigrations({ cwd: sqlApp })
    expect(p.kind).toBe('sql')
    expect(p.migrations.map((m) => [m.name, m.downPath !== null])).toEqual([
      ['001_create_churches', true], ['002_add_members', true], ['003_members_email', true],
    ])
    expect(p.migrations[1].upPath).toBe(join(sqlApp, 'migrations', '002_add_members', 'up.sql'))
    expect(p.migrations[2].downSql).toMatch(/DROP COLUMN email/)
  })

  it('takes an explicit migrations folder, and says so when there is none', async () => {
    const p = await discoverMigrations({ cwd: sqlApp, migrationsDir: 'migrations' })
    expect(p.migrations).toHaveLength(3)
    const empty = project({ 'README.md': '' })
    const error = await discoverMigrations({ cwd: empty }).catch((e) => e)
    expect(error.code).toBe('KDB_NO_MIGRATIONS')
    expect(error.kind).toBe('input')
  })
})
