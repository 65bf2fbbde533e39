#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8'
import { fileURLToPath } from 'node:url'
import { preloadPgParser } from '../linter/pg-parser-preload.js'
import { loadCliBundle } from './code-cache.js'
import { ONE_SHOT_V8_FLAGS } from './one-shot-v8-flags.js'

// The bin: sets V8's flags for a one-shot run, then runs the CLI's bundle through its code cache
// (code-cache.ts), which V8 only takes under the flags it was made with. A lint starts compiling the
// parser first, on V8's background threads while the bundle loads (pg-parser-preload.ts).
setFlagsFromString(ONE_SHOT_V8_FLAGS)
if (process.argv[2] === 'lint') preloadPgParser()
void loadCliBundle(fileURLToPath(new URL('koinonia-db.cjs', import.meta.url))).exports.startCli()
