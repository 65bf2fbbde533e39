import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, REPO } from '../cli/run-bin.js'

describe('the parser compile the bin starts early', () => {
  beforeAll(() => ensureBuilt())

  it('is the compile the parser loads with, taken once', () => {
    // pg-parser.js starts loading when imported; the preload must come first, as in the bin.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      const { preloadPgParser } = await import(${JSON.stringify(join(REPO, 'dist/linter/pg-parser-preload.js'))})
      preloadPgParser()
      const key = Symbol.for('koinonia-db.pg-parser-compile')
      const started = globalThis[key] instanceof Promise
      const parser = await import(${JSON.stringify(join(REPO, 'dist/linter/pg-parser.js'))})
      await parser.loadPgParser()
      process.stdout.write(JSON.stringify({ started, left: key in globalThis, tree: JSON.parse(parser.parseToJson('SELECT 1')).stmts.length }))`], { encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ started: true, left: false, tree: 1 })
  })

  it('a failed early compile fails the parser load with its error, instead of hanging', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      const key = Symbol.for('koinonia-db.pg-parser-compile')
      globalThis[key] = Promise.reject(new Error('bad module bytes'))
      globalThis[key].catch(() => {})
      const parser = await import(${JSON.stringify(join(REPO, 'dist/linter/pg-parser.js'))})
      process.stdout.write(await parser.loadPgParser().then(() => 'loaded', (e) => e.message))`], { encoding: 'utf8' })
    expect(out).toBe('bad module bytes')
  })
})
