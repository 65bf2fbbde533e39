import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Script } from 'node:vm'
import { replaceCacheFile } from '../project-cache-dir.js'

/**
 * The CLI is one CommonJS bundle (dist/cli/koinonia-db.cjs) run through node:vm with a V8 code
 * cache made at build time (scripts/train-code-cache.mjs): its functions arrive compiled instead of
 * being parsed and compiled on first call, what Node 22's module.enableCompileCache does and Node 20
 * lacks. Interleaved: a one-migration lint 1.085×, 20,000 statements 1.04× (docs/linter.md "Seventh round").
 * V8 checks the cache against its own version and flags and ignores one that does not fit (another
 * Node, other flags): the bundle is then compiled as usual. The cache starts with the bundle's build
 * id and the V8 version (cacheHeader), so a cache left from another build is never used, and a
 * package built under another Node keeps one of its own in the project's cache folder (loadCliBundle).
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
  /** 'accepted': run from a cache; 'rejected': V8, the build id or the V8 version refused it; 'none': no cache file. */
  cache: 'accepted' | 'rejected' | 'none'
  /**
   * Where this Node's cache of the bundle belongs when neither the build's cache nor the project's
   * fitted (a package built under another Node): the bin writes it there after the run
   * (saveCodeCache). Null when a cache was taken or there is no project cache folder.
   */
  saveTo: string | null
}

/** The bundle's first line: `// koinonia-db CLI bundle <build id>` (scripts/bundle-cli.mjs writes it). */
const BUILD_LINE = /^\/\/ koinonia-db CLI bundle (\S+)\n/

export function buildLine(id: string): string {
  return `// koinonia-db CLI bundle ${id}\n`
}

/** The build's cache, made by scripts/train-code-cache.mjs beside the bundle. */
export function cachePath(bundlePath: string): string {
  return `${bundlePath}.cache`
}

/** A project's cache of the bundle for this V8, in its cache folder (project-cache-dir.ts): one per build and V8 version. */
export function projectCachePath(dir: string, id: string): string {
  return join(dir, `cli-${id}-v8-${process.versions.v8}.cache`)
}

/** The build id a cache file must start with: none for a bundle without one. */
export function buildId(source: string): string | undefined {
  return BUILD_LINE.exec(source)?.[1]
}

/**
 * A cache file's first line: the build id and the version of the V8 that made it. V8 refuses
 * another version's data anyway, but only after reading it; the line says so before, and lets a
 * project keep one cache per Node it runs (project-cache-dir.ts).
 */
export function cacheHeader(id: string): string {
  return `${id} v8-${process.versions.v8}\n`
}

/**
 * Writes the cache of what V8 has compiled of a loaded bundle so far, behind its header: the
 * build's (scripts/train-code-cache.mjs) or a project's (the bin, saveTo). Replaced whole, never
 * half written; a project's caches of other builds go.
 */
export function saveCodeCache(file: string, loaded: LoadedBundle): void {
  if (loaded.id === undefined) throw new Error(`${file}: the bundle has no build id, so a cache of it could not be told from another build's`)
  replaceCacheFile(file, Buffer.concat([Buffer.from(cacheHeader(loaded.id), 'latin1'), loaded.script.createCachedData()]))
  if (loaded.saveTo !== file) return
  for (const name of readdirSync(dirname(file))) {
    if (name.startsWith('cli-') && name.endsWith('.cache') && !name.startsWith(`cli-${loaded.id}-`)) rmSync(join(dirname(file), name), { force: true })
  }
}

/** V8's data in `file` when its header is `header`; 'other' for another build's or V8's; undefined for no file. */
function readCache(file: string, header: string): Buffer | 'other' | undefined {
  let data: Buffer
  try {
    data = readFileSync(file)
  } catch {
    return undefined
  }
  return data.toString('latin1', 0, header.length) === header ? data.subarray(header.length) : 'other'
}

/**
 * Compiles and runs the bundle as CommonJS, with its code cache when one fits: the build's, else,
 * given the project's cache folder (`projectDir`, asked only then), the project's for this V8.
 */
export function loadCliBundle(bundlePath: string, projectDir?: () => string | null): LoadedBundle {
  const source = readFileSync(bundlePath, 'utf8')
  const id = buildId(source)
  let found: Buffer | 'other' | undefined
  let saveTo: string | null = null
  if (id !== undefined) {
    const header = cacheHeader(id)
    found = readCache(cachePath(bundlePath), header)
    const dir = Buffer.isBuffer(found) ? null : (projectDir?.() ?? null)
    if (dir) {
      saveTo = projectCachePath(dir, id)
      const local = readCache(saveTo, header)
      if (local !== undefined) found = local
    }
  } else if (existsSync(cachePath(bundlePath))) found = 'other'
  const cachedData = Buffer.isBuffer(found) ? found : undefined
  // The wrapper CommonJS gives every module; on the first line, so line numbers stay the bundle's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundlePath, cachedData })
  const cache = cachedData ? (script.cachedDataRejected ? 'rejected' : 'accepted') : found ? 'rejected' : 'none'
  if (cache === 'accepted') saveTo = null
  const module = { exports: {} as CliBundle }
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath))
  return { exports: module.exports, script, id, cache, saveTo }
}
