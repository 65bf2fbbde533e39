import { describe, expect, it } from 'vitest'
import { checkCoverage } from '../../src/sanitize/coverage.js'
import { runSanitize } from '../../src/sanitize/run.js'
import { scanForLeaks } from '../../src/sanitize/scan.js'
import { suggestRules } from '../../src/sanitize/suggest.js'

// The sanitize API took `url` before its options were named like the flags (`--target` → `target`).
// A caller still passing `url` must get an error, never a connection to libpq's default database.
describe('sanitize called with the old option name', () => {
  const env = { KOINONIA_SANITIZE_KEY: 'a-test-key-of-sufficient-length-000', PGHOST: '127.0.0.1', PGPORT: '1' }
  const rules = { version: 1 as const, tables: { t: { id: 'keep' } } }
  const old = { url: 'postgres://x/y', rules, env } as never

  it.each([
    ['runSanitize', () => runSanitize(old)],
    ['scanForLeaks', () => scanForLeaks(old)],
    ['checkCoverage', () => checkCoverage(old)],
    ['suggestRules', () => suggestRules(old)],
  ])('%s: a usage error naming the new option', async (_, call) => {
    await expect(call()).rejects.toMatchObject({ code: 'KDB_SANITIZE_NO_TARGET', hint: expect.stringContaining('target') })
  })
})
