#!/usr/bin/env node
import { statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { compilePgParserNow, pgParserFile, preloadPgParser } from '../linter/pg-parser-preload.js'
import { cpuTimes, MIN_CHARS } from '../linter/second-core.js'
import { spawnTailWorker } from '../linter/tail-worker.js'
import { projectCacheDir } from '../project-cache-dir.js'
import { loadCliBundle, saveCodeCache } from './code-cache.js'
import { ONE_SHOT_V8_FLAGS } from './one-shot-v8-flags.js'

// The bin: sets V8's flags for a one-shot run, then runs the CLI's bundle through its code cache
// (code-cache.ts), which V8 only takes under the flags it was made with. A lint compiles the
// parser first (pg-parser-preload.ts). Given a large file, it also starts the parser's worker now,
// which starts up while the bundle loads and the file is read (parse-tail.ts adoptTailWorker); the
// linter stops it if other processes left no core idle by then.
const lint = process.argv[2] === 'lint'
const large = lint && availableParallelism() >= 2 && process.argv.slice(3).some(isLargeFile)
// The first look at the cores, for the linter's question whether another process took the second one since.
const since = large ? cpuTimes() : null
setFlagsFromString(ONE_SHOT_V8_FLAGS)
const module = large ? compilePgParserNow() : undefined
const tail = module ? spawnTailWorker(module, pgParserFile('libpg-query.js')) : undefined
if (lint && !module) preloadPgParser()
const bundle = fileURLToPath(new URL('koinonia-db.cjs', import.meta.url))
// A lint (a pre-commit hook runs one per commit) under a Node other than the build's also keeps a
// cache of its own in the project's cache folder, written once after the run.
const loaded = loadCliBundle(bundle, lint ? () => projectCacheDir(dirname(bundle)) : undefined)
const saveTo = loaded.saveTo
if (saveTo) {
  process.once('exit', () => {
    try {
      saveCodeCache(saveTo, loaded)
    } catch {
      // best effort: a read-only project compiles the bundle again next time
    }
  })
}
const cli = loaded.exports
if (tail && since) void cli.adoptTailWorker(tail, since)
void cli.startCli()

/** An argument naming a file large enough for two threads (option values name no such file). */
function isLargeFile(arg: string): boolean {
  if (arg.startsWith('-')) return false
  try {
    const stat = statSync(arg, { throwIfNoEntry: false })
    return stat !== undefined && stat.isFile() && stat.size >= MIN_CHARS
  } catch {
    return false
  }
}
