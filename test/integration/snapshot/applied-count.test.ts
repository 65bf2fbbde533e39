import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { discoverMigrations } from '../../../src/migrations/index.js'
import { appliedCount } from '../../../src/snapshot/load-snapshot.js'
import { INIT, sqlProject } from './project.js'

const FIXTURE = resolve(import.meta.dirname, '../../../fixtures/prisma-app')

describe('which migrations a synthetic snapshot treats as applied', () => {
  it('reads scenario.json, takes --applied as a count or a name, else all but the newest', async () => {
    const fixture = await discoverMigrations({ cwd: FIXTURE })
    expect(appliedCount(fixture)).toBe(4)
    expect(appliedCount(fixture, '2')).toBe(2)
    expect(appliedCount(fixture, '20250317104500_add_campaigns')).toBe(3)
    using plain = sqlProject([INIT, { name: '002_x', up: 'SELECT 1;' }, { name: '003_y', up: 'SELECT 1;' }])
    expect(appliedCount(await discoverMigrations({ cwd: plain.root }))).toBe(2)
  })

  it('rejects an unknown name or too large a count as a usage error', async () => {
    const fixture = await discoverMigrations({ cwd: FIXTURE })
    expect(() => appliedCount(fixture, '99')).toThrow(expect.objectContaining({ code: 'KDB_APPLIED', kind: 'usage' }))
    expect(() => appliedCount(fixture, 'nope')).toThrow(expect.objectContaining({ code: 'KDB_APPLIED', hint: expect.stringContaining('20250110093000_init') }))
  })
})
