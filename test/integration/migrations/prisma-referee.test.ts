import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverMigrations } from '../../../src/migrations/discover-migrations.js'
import { migrateToLatest } from '../../../src/migrations/migrate-to-latest.js'
import type { MigrationProject } from '../../../src/migrations/types.js'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { prismaSchemaEngine } from './prisma-schema-engine.js'

let server: PostgresHandle
let project: MigrationProject
beforeAll(async () => {
  server = await startTestPostgres()
  project = await discoverMigrations({ cwd: 'fixtures/prisma-app' })
})
afterAll(async () => { await server?.stop() })

describe("Prisma's own schema engine as referee", () => {
  it('finds nothing to apply, nothing edited and nothing failed after our runner migrated the fixture', async () => {
    const url = await server.createDatabase('referee_ours')
    expect((await migrateToLatest(url, project)).ok).toBe(true)
    const prisma = await prismaSchemaEngine(url, project)
    try {
      const diagnosis = await prisma.diagnose()
      expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null })
      expect((await prisma.applyMigrations()).appliedMigrationNames).toEqual([])
    } finally {
      await prisma.close()
    }
  })

  it('writes the same rows as Prisma: our runner after a Prisma-applied prefix, and Prisma after ours', async () => {
    const url = await server.createDatabase('referee_mixed')
    await migrateToLatest(url, project, { limit: 4 })
    const prisma = await prismaSchemaEngine(url, project)
    try {
      expect((await prisma.applyMigrations()).appliedMigrationNames).toEqual(project.migrations.slice(4).map((m) => m.name))
    } finally {
      await prisma.close()
    }
    await using c = await connect(url)
    const rows = (await c.query('SELECT migration_name, checksum, applied_steps_count, logs, finished_at IS NOT NULL AS finished, rolled_back_at FROM _prisma_migrations ORDER BY started_at')).rows
    expect(rows.map((r) => r.migration_name)).toEqual(project.migrations.map((m) => m.name))
    const ours = rows.slice(0, 4)
    const theirs = rows.slice(4)
    for (const r of [...ours, ...theirs]) expect(r).toMatchObject({ applied_steps_count: 1, finished: true, rolled_back_at: null })
    expect(rows.map((r) => r.checksum)).toEqual(project.migrations.map((m) => m.checksum))
    expect(theirs.every((r) => r.logs === null)).toBe(true)
    expect(ours.every((r) => r.logs === null)).toBe(true)
  })

  it('is a referee that can disagree: it sees an edited checksum, and our failed row as failed (P3009)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kdb-referee-'))
    try {
      cpSync('fixtures/prisma-app', root, { recursive: true })
      mkdirSync(join(root, 'prisma/migrations/20250701000000_breaks'))
      writeFileSync(join(root, 'prisma/migrations/20250701000000_breaks/migration.sql'), '-- AlterTable\nALTER TABLE "Nope" ADD COLUMN "x" INTEGER;\n')
      const failing = await discoverMigrations({ cwd: root })
      const url = await server.createDatabase('referee_failed')
      const result = await migrateToLatest(url, failing)
      expect(result.results.at(-1)?.status).toBe('failed')
      await using c = await connect(url)
      await c.query(`UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = $1`, [failing.migrations[0].name])
      const prisma = await prismaSchemaEngine(url, failing)
      try {
        const diagnosis = await prisma.diagnose()
        expect(diagnosis.failedMigrationNames).toEqual(['20250701000000_breaks'])
        expect(diagnosis.editedMigrationNames).toEqual([failing.migrations[0].name])
        await expect(prisma.applyMigrations()).rejects.toThrow(/20250701000000_breaks/)
      } finally {
        await prisma.close()
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
