import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { verify } from '../../../src/snapshot/verify.js'
import { INIT, sqlProject, TEST_PROVIDER } from './project.js'

const FIXTURE = resolve(import.meta.dirname, '../../../fixtures/prisma-app')

describe('verify: load and Prisma modes', () => {
  it('measures how long a canary reader and writer were blocked (--load), without changing the data', async () => {
    using project = sqlProject([INIT, {
      name: '002_slow_lock',
      // One implicit transaction: the ACCESS EXCLUSIVE lock of the ALTER is held through the sleep.
      up: 'ALTER TABLE contact ADD COLUMN email text;\nSELECT pg_sleep(1.5);\n',
      down: 'ALTER TABLE contact DROP COLUMN email;\n',
    }])
    const result = await verify({ cwd: project.root, provider: TEST_PROVIDER, rows: 200, applied: '1', load: true })
    expect(result.load).not.toBeNull()
    expect(result.load!.readBlockedMs.contact).toBeGreaterThan(1000)
    expect(result.load!.writeBlockedMs.contact).toBeGreaterThan(1000)
    expect(result.load!.readBlockedMs.church).toBeLessThan(1000)
    expect(result.load!.reads).toBeGreaterThan(2)
    expect(result.tables.every((t) => t.fingerprintMatch)).toBe(true)
    expect(result.verdict).toBe('pass')
  })

  it('replays statement by statement for Prisma >= 7.4 and still sees the locks of fast DDL', async () => {
    const result = await verify({ cwd: FIXTURE, provider: TEST_PROVIDER, rows: 200, prismaVersion: '7.4.0', noRollback: true })
    expect(result.project.mode).toBe('per-statement')
    const index = result.migrations[0].statements[0]
    expect(index).toMatchObject({ lockSource: 'event-trigger', locks: ['ShareLock on "Message"'], observed: 'risky' })
    expect(result.dataLoss.map((d) => `${d.table}.${d.column}`)).toEqual(['Contact.notes'])
  })

  it('single-query Prisma (< 7.4) reads the locks inside the migration transaction', async () => {
    const result = await verify({ cwd: FIXTURE, provider: TEST_PROVIDER, rows: 200, noRollback: true })
    expect(result.project.mode).toBe('single-query')
    const addColumn = result.migrations[1].statements.find((s) => s.text.startsWith('ALTER TABLE "Campaign" ADD COLUMN'))
    expect(addColumn).toMatchObject({ lockSource: 'transaction', locks: ['AccessExclusiveLock on "Campaign"'], rewrote: [] })
    expect(result.migrations[2].statements[0].rewrote).toEqual(['Campaign'])
    expect(result.project.migrationsDir).toContain('prisma/migrations')
  })
})
