import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Script } from 'node:vm'

/**
 * The CLI is one CommonJS bundle (dist/cli/koinonia-db.cjs) run through node:vm with a V8 code
 * cache made at build time (scripts/train-code-cache.mjs): its functions arrive compiled instead of
 * being parsed and compiled on first call, what Node 22's module.enableCompileCache does and Node 20
 * lacks. Interleaved: a one-migration lint 1.085×, 20,000 statements 1.04× (docs/linter.md "Seventh round").
 * V8 checks the cache against its own version and flags and ignores one that does not fit (another
 * Node, other flags): the bundle is then compiled as usual. The cache starts with the bundle's build
 * id, so a cache left from another build is never used.
 */

/** What the bundle exports: its entry is start-cli.ts. */
export interface CliBundle {
  startCli(): Promise<void>
  adoptTailWorker: typeof import('./start-cli.js').adoptTailWorker
  runCli: typeof import('./run-cli.js').runCli
}

export interface LoadedBundle {
  exports: CliBundle
  script: Script
  /** The bundle's build id; undefined for a bundle without one. */
  id: string | undefined
  /** 'accepted': run from the cache; 'rejected': V8 or the build id refused it; 'none': no cache file. */
  cache: 'accepted' | 'rejected' | 'none'
}

/** The bundle's first line: `// koinonia-db CLI bundle <build id>` (scripts/bundle-cli.mjs writes it). */
const BUILD_LINE = /^\/\/ koinonia-db CLI bundle (\S+)\n/

export function buildLine(id: string): string {
  return `// koinonia-db CLI bundle ${id}\n`
}

export function cachePath(bundlePath: string): string {
  return `${bundlePath}.cache`
}

/** The build id a cache file must start with, followed by a newline: none for a bundle without one. */
export function buildId(source: string): string | undefined {
  return BUILD_LINE.exec(source)?.[1]
}

/** Writes the cache of what V8 has compiled of a loaded bundle so far (scripts/train-code-cache.mjs), behind its build id. */
export function saveCodeCache(bundlePath: string, loaded: LoadedBundle): void {
  if (loaded.id === undefined) throw new Error(`${bundlePath} has no build id: a cache of it could not be told from another build's`)
  writeFileSync(cachePath(bundlePath), Buffer.concat([Buffer.from(`${loaded.id}\n`, 'latin1'), loaded.script.createCachedData()]))
}

/** Compiles and runs the bundle as CommonJS, with its code cache when one fits. */
export function loadCliBundle(bundlePath: string): LoadedBundle {
  const source = readFileSync(bundlePath, 'utf8')
  const id = buildId(source)
  let cache: LoadedBundle['cache'] = 'none'
  let cachedData: Buffer | undefined
  try {
    const file = readFileSync(cachePath(bundlePath))
    const newline = file.indexOf(10)
    if (id !== undefined && newline > 0 && file.toString('latin1', 0, newline) === id) cachedData = file.subarray(newline + 1)
    else cache = 'rejected'
  } catch {
    // no cache: compiled as usual
  }
  // The wrapper CommonJS gives every module; on the first line, so line numbers stay the bundle's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundlePath, cachedData })
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'accepted'
  const module = { exports: {} as CliBundle }
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath))
  return { exports: module.exports, script, id, cache }
}
