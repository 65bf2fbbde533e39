import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * The bin starts compiling the parser's 1.7 MB WebAssembly module before it loads the CLI's bundle
 * (cli/main.ts), and the parser takes that compile when it loads (pg-parser.ts): V8 compiles on
 * background threads while the bundle loads and the command reads its config, instead of after.
 * The bin and the bundle are separate scripts; the compile passes between them under this global key.
 */
const KEY = Symbol.for('koinonia-db.pg-parser-compile')
type Holder = { [KEY]?: Promise<object> }

/** Starts the compile. A failure here (no libpg-query) is left to the parser's own load to report. */
export function preloadPgParser(): void {
  try {
    const bytes = readFileSync(createRequire(import.meta.url).resolve('libpg-query/wasm/libpg-query.wasm'))
    const compile = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<object> } }).WebAssembly.compile(bytes)
    compile.catch(() => {})
    ;(globalThis as Holder)[KEY] = compile
  } catch {
    // the parser's load reports it
  }
}

/** The compile the bin started, once; undefined when none was. */
export function takePreloadedPgParser(): Promise<object> | undefined {
  const compile = (globalThis as Holder)[KEY]
  delete (globalThis as Holder)[KEY]
  return compile
}
