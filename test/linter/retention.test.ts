import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { lint } from '../../src/linter/lint.js'

// A collection on demand, as `node --expose-gc` gives one, set up from inside the test process.
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

/**
 * The least heap in use over a few collections, 10 ms apart. Read straight after the lint, the heap
 * sometimes still held ~6 MB of large objects that were gone 200 ms later (1 run in 5; a heap
 * snapshot at that moment held nothing of the lint): what the linter keeps stays, that does not.
 */
async function heapAfterCollection(): Promise<number> {
  let least = Infinity
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    gc()
    gc()
    least = Math.min(least, process.memoryUsage().heapUsed)
  }
  return least
}

/**
 * Lints `sql` and gives the heap in use while its result is held. Apart from the test, so nothing of
 * the result outlives this call: V8 keeps a value an interpreted frame once held in a register until
 * the register is reused, so `result = undefined` in the test's own frame did not always let it go
 * (a heap snapshot of a failed run found the whole result under the stack roots).
 */
async function heapWhileHeld(sql: string): Promise<number> {
  const result = await lint(sql, { path: 'big.sql' })
  expect(result.summary.statements).toBe(8000)
  return process.memoryUsage().heapUsed
}

describe('memory', () => {
  it('keeps nothing of a linted file once its result is dropped', async () => {
    // ALTER TABLE ... ADD COLUMN / ADD CONSTRAINT on an existing table: the statements whose
    // per-statement values rules share (rule-helpers.ts) and once kept the last context alive.
    const sql = Array.from({ length: 4000 }, (_, i) => `ALTER TABLE accounts ADD COLUMN c${i} integer;\nALTER TABLE accounts ADD CONSTRAINT k${i} CHECK (c${i} > 0) NOT VALID;`).join('\n')
    // The same file once before: what V8 compiles and keeps for the code the lint runs is not the file's.
    await heapWhileHeld(sql)
    // Twice: V8's optimized code of the parse's cut once kept a whole parse's text (4 MB) alive
    // until the next lint replaced it, so it showed after every other lint (split-parse-json.ts).
    for (let run = 0; run < 2; run++) {
      const before = await heapAfterCollection()
      const held = (await heapWhileHeld(sql)) - before
      const left = (await heapAfterCollection()) - before
      // The file's statements and their trees' JSON were ~12 MB of the heap while the result was held.
      expect(held).toBeGreaterThan(8e6)
      expect(left).toBeLessThan(2e6)
    }
  })

  it('keeps nothing of a linted file until the next lint either', async () => {
    // Values kept for the last statement (rule-helpers.ts perContext) are replaced by the next
    // lint's, so the test above, which measures from one lint of the file to the next, cannot see
    // them. Here the lint before is a short file of the same statements: it compiles the same code.
    const file = (n: number) => Array.from({ length: n }, (_, i) => `ALTER TABLE accounts ADD COLUMN c${i} integer;\nALTER TABLE accounts ADD CONSTRAINT k${i} CHECK (c${i} > 0) NOT VALID;`).join('\n')
    for (let run = 0; run < 3; run++) await lint(file(200), { path: 'small.sql' })
    const before = await heapAfterCollection()
    await heapWhileHeld(file(4000))
    const left = (await heapAfterCollection()) - before
    expect(left).toBeLessThan(2e6)
  })
})
