import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { watchCopy } from '../../src/restore/copy-progress.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Waits until `done` holds, at most 15 s (a loaded machine delays the once-a-second measurement). */
async function until(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 15_000; !done() && Date.now() < deadline;) await sleep(100)
}

describe('watchCopy (the fetch phase\'s progress)', () => {
  it('says how far a copy got at each tenth it reaches, not every second, and nothing after it is stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdb-test-copy-'))
    const said: string[] = []
    const total = 10 * 1048576
    const stop = watchCopy(dir, total, (m) => said.push(m))
    try {
      writeFileSync(join(dir, 'a'), Buffer.alloc(3 * 1048576))
      await until(() => said.length > 0)
      writeFileSync(join(dir, 'b'), Buffer.alloc(5 * 1048576))
      await until(() => said.length > 1)
      await sleep(2500)
      // Two tenths reached (30%, 80%); the seconds in between said nothing.
      expect(said).toHaveLength(2)
      expect(said[0]).toMatch(/^restoring: 3 of 10 MB \(30%\)$/)
      expect(said[1]).toMatch(/^restoring: 8 of 10 MB \(80%\)$/)
    } finally {
      stop()
    }
    writeFileSync(join(dir, 'c'), Buffer.alloc(2 * 1048576))
    await sleep(1500)
    expect(said).toHaveLength(2)
    rmSync(dir, { recursive: true, force: true })
  })

  it('a long copy that reaches no new tenth still says where it is, every heartbeat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdb-test-copy-'))
    const said: string[] = []
    const stop = watchCopy(dir, 100 * 1048576, (m) => said.push(m), 1500)
    try {
      writeFileSync(join(dir, 'a'), Buffer.alloc(1048576))
      await until(() => said.length >= 2)
      expect(said.length).toBeGreaterThanOrEqual(2)
      expect(said.every((m) => /^restoring: 1 of 100 MB \(1%\)$/.test(m))).toBe(true)
    } finally {
      stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
