import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildId, cachePath, loadCliBundle } from '../../src/cli/code-cache.js'
import { ONE_SHOT_V8_FLAGS } from '../../src/cli/one-shot-v8-flags.js'
import { ensureBuilt, REPO, runBin } from './run-bin.js'

const BUNDLE = join(REPO, 'dist/cli/koinonia-db.cjs')

/** What loadCliBundle says of the built bundle in a fresh node, with or without the bin's V8 flags. */
function cacheStateInFreshNode(flags: boolean): string {
  const script = `${flags ? `require('node:v8').setFlagsFromString(${JSON.stringify(ONE_SHOT_V8_FLAGS)});` : ''}
    import(${JSON.stringify(join(REPO, 'dist/cli/code-cache.js'))}).then((m) => process.stdout.write(m.loadCliBundle(${JSON.stringify(BUNDLE)}).cache))`
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })
}

/** A copy of the built bundle beside a cache file of our making, under node_modules so its requires resolve. */
let dir: string
function bundleWith(cache: Buffer | null): string {
  const copy = join(mkdtempSync(join(dir, 'b-')), 'koinonia-db.cjs')
  copyFileSync(BUNDLE, copy)
  if (cache) writeFileSync(cachePath(copy), cache)
  return copy
}

async function explainsARule(bundle: string): Promise<void> {
  const out: string[] = []
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true }, cwd: REPO, env: {}, signal: new AbortController().signal }
  const code = await loadCliBundle(bundle).exports.runCli(['rules', 'ban-drop-column', '--format', 'json'], io as never)
  expect(code).toBe(0)
  expect(JSON.parse(out.join('')).rules[0].id).toBe('ban-drop-column')
}

describe('the CLI bundle and its V8 code cache', () => {
  beforeAll(() => {
    ensureBuilt()
    mkdirSync(join(REPO, 'node_modules/.cache'), { recursive: true })
    dir = mkdtempSync(join(REPO, 'node_modules/.cache/kdb-code-cache-test-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('the build writes a cache that V8 takes under the flags the bin sets, and only under them', () => {
    const cache = readFileSync(cachePath(BUNDLE))
    expect(cache.toString('latin1', 0, cache.indexOf(10))).toBe(buildId(readFileSync(BUNDLE, 'utf8')))
    expect(cacheStateInFreshNode(true)).toBe('accepted')
    // Other flags: V8 refuses it, and the bundle is compiled as usual.
    expect(cacheStateInFreshNode(false)).toBe('rejected')
  })

  it('the bin runs from the bundle: lint, lint of stdin (a lazy require in the bundle), --version', async () => {
    const stdin = await runBin(['lint', '-', '--format', 'compact'], { input: 'CREATE INDEX i ON t (c);\n' })
    expect(stdin.stderr).toBe('')
    expect(stdin.stdout).toMatch(/^<stdin>:1:1: error: .*\[require-concurrent-index\]$/m)
    expect(stdin.code).toBe(1)
    const version = await runBin(['--version'])
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version)
  })

  it('a cache of another build, a damaged cache or none: not used, and the CLI still works', async () => {
    const built = readFileSync(cachePath(BUNDLE))
    const body = built.subarray(built.indexOf(10) + 1)
    const otherBuild = bundleWith(Buffer.concat([Buffer.from('0123456789abcdef\n'), body]))
    expect(loadCliBundle(otherBuild).cache).toBe('rejected')
    await explainsARule(otherBuild)
    const id = buildId(readFileSync(BUNDLE, 'utf8'))
    const damaged = bundleWith(Buffer.concat([Buffer.from(`${id}\n`), Buffer.alloc(body.length, 7)]))
    expect(loadCliBundle(damaged).cache).toBe('rejected')
    await explainsARule(damaged)
    const none = bundleWith(null)
    expect(loadCliBundle(none).cache).toBe('none')
    await explainsARule(none)
  })

  it('the bundle has no import() left (a script run from a code cache cannot import), and runs in strict mode', () => {
    const source = readFileSync(BUNDLE, 'utf8')
    expect(source).not.toMatch(/\bimport\(\s*["'`]/)
    // After the build id's comment line, the first statement of the function node:vm wraps it in.
    expect(source.split('\n')[1]).toBe('"use strict";')
  })
})
