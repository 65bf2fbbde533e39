import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildId, cacheHeader, cachePath, loadCliBundle, projectCachePath } from '../../src/cli/code-cache.js'
import { ONE_SHOT_V8_FLAGS } from '../../src/cli/one-shot-v8-flags.js'
import { ensureBuilt, REPO, runBin } from './run-bin.js'

const BUNDLE = join(REPO, 'dist/cli/koinonia-db.cjs')

/**
 * What loadCliBundle says of a bundle (the built one by default) in a fresh node, with or without
 * the bin's V8 flags; given a project's cache folder, also where it would save this Node's cache.
 */
function cacheStateInFreshNode(flags: boolean, bundle = BUNDLE, projectDir?: string): string {
  const script = `${flags ? `require('node:v8').setFlagsFromString(${JSON.stringify(ONE_SHOT_V8_FLAGS)});` : ''}
    import(${JSON.stringify(join(REPO, 'dist/cli/code-cache.js'))}).then((m) => {
      const loaded = m.loadCliBundle(${JSON.stringify(bundle)}${projectDir ? `, () => ${JSON.stringify(projectDir)}` : ''})
      process.stdout.write(loaded.cache + ${projectDir ? "' ' + loaded.saveTo" : "''"})
    })`
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
    expect(cache.toString('latin1', 0, cache.indexOf(10) + 1)).toBe(cacheHeader(buildId(readFileSync(BUNDLE, 'utf8'))!))
    expect(cacheHeader('0123456789abcdef')).toBe(`0123456789abcdef v8-${process.versions.v8}\n`)
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
    // The right header, data V8 refuses.
    const damaged = bundleWith(Buffer.concat([Buffer.from(cacheHeader(id!)), Buffer.alloc(body.length, 7)]))
    expect(loadCliBundle(damaged).cache).toBe('rejected')
    await explainsARule(damaged)
    const none = bundleWith(null)
    expect(loadCliBundle(none).cache).toBe('none')
    await explainsARule(none)
  })

  it('a package built under another Node: a lint writes this Node\'s cache in the project\'s cache folder once, and later runs take it', () => {
    const built = readFileSync(cachePath(BUNDLE))
    const id = buildId(readFileSync(BUNDLE, 'utf8'))!
    // An installed package whose build cache another V8 made; its requires resolve from the repository's node_modules.
    const project = mkdtempSync(join(dir, 'project-'))
    const cli = join(project, 'node_modules/koinonia-db/dist/cli')
    mkdirSync(cli, { recursive: true })
    for (const file of ['main.cjs', 'koinonia-db.cjs']) copyFileSync(join(REPO, 'dist/cli', file), join(cli, file))
    writeFileSync(cachePath(join(cli, 'koinonia-db.cjs')), Buffer.concat([Buffer.from(`${id} v8-1.2.3.4-node.0\n`), built.subarray(built.indexOf(10) + 1)]))
    const cacheDir = join(project, 'node_modules/.cache/koinonia-db')
    const mine = projectCachePath(cacheDir, id)
    // Another build's cache there goes; the history caches stay.
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(join(cacheDir, `cli-0123456789abcdef-v8-${process.versions.v8}.cache`), 'old')
    writeFileSync(join(cacheDir, 'history-0123456789abcdef.json'), '{}')
    expect(cacheStateInFreshNode(true, join(cli, 'koinonia-db.cjs'), cacheDir)).toBe(`rejected ${mine}`)
    writeFileSync(join(project, 'm.sql'), 'CREATE INDEX i ON t (c);\n')
    const lint = () => spawnSync(process.execPath, [join(cli, 'main.cjs'), 'lint', '--format', 'compact', 'm.sql'], { cwd: project, encoding: 'utf8' })
    const first = lint()
    expect(first.stderr).toBe('')
    expect(first.stdout).toMatch(/\[require-concurrent-index\]/)
    expect(first.status).toBe(1)
    expect(readdirSync(cacheDir).sort()).toEqual([basename(mine), 'history-0123456789abcdef.json'])
    expect(readFileSync(mine).toString('latin1', 0, cacheHeader(id).length)).toBe(cacheHeader(id))
    expect(cacheStateInFreshNode(true, join(cli, 'koinonia-db.cjs'), cacheDir)).toBe('accepted null')
    const written = statSync(mine).mtimeMs
    expect(lint().status).toBe(1)
    expect(statSync(mine).mtimeMs).toBe(written)
    // Not a lint: nothing is written.
    rmSync(mine)
    expect(spawnSync(process.execPath, [join(cli, 'main.cjs'), '--version'], { cwd: project }).status).toBe(0)
    expect(existsSync(mine)).toBe(false)
  })

  it('the bundle has no import() left (a script run from a code cache cannot import), and runs in strict mode', () => {
    const source = readFileSync(BUNDLE, 'utf8')
    expect(source).not.toMatch(/\bimport\(\s*["'`]/)
    // After the build id's comment line, the first statement of the function node:vm wraps it in.
    expect(source.split('\n')[1]).toBe('"use strict";')
  })
})
