import { rmSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fixturePullRequest } from '../helpers/fixture-pr.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.cjs')
let repo: string

// The fixture's history as a pull request: main has the first six migrations, the branch adds the
// last two (the wrong down migration and the Prisma drop+add "rename").
beforeAll(() => {
  repo = fixturePullRequest(['20250604100000_campaign_schedule_timezone', '20250612081500_rename_contact_notes_to_memo'])
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

describe('verify --since', () => {
  it('treats exactly the branch migrations as pending and fails the gate for them, in JUnit', () => {
    const run = spawnSync(process.execPath, [BIN, 'verify', '--since', 'main', '--format', 'junit', '--rows', '50'], { cwd: repo, encoding: 'utf8', timeout: 180_000 })
    expect(run.status, run.stderr).toBe(1)
    expect(run.stdout).toMatch(/^<\?xml/)
    const migrations = [...run.stdout.matchAll(/classname="migrations" name="([^"]+)"/g)].map((m) => m[1])
    expect(migrations).toEqual(['20250604100000_campaign_schedule_timezone', '20250612081500_rename_contact_notes_to_memo'])
    expect(run.stdout).toContain('value(s) lost')
    expect(run.stdout).toContain('rollback does not restore the baseline')
  })

  it('has nothing to verify on main itself', () => {
    const run = spawnSync(process.execPath, [BIN, 'verify', '--since', 'HEAD'], { cwd: repo, encoding: 'utf8', timeout: 60_000 })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain('nothing to verify')
  })
})
