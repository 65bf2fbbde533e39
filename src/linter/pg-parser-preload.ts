import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * The bin compiles the parser's 1.7 MB WebAssembly module before it loads the CLI's bundle
 * (cli/main.ts), and the parser takes that module when it loads (pg-parser.ts), instead of
 * compiling after the bundle has loaded and the command has read its config. The bin and the
 * bundle are separate scripts; the compile passes between them under this global key.
 */
const KEY = Symbol.for('koinonia-db.pg-parser-compile')
type Holder = { [KEY]?: Promise<CompiledModule> }

/** A compiled WebAssembly.Module: opaque here, and transferable to a worker. */
export type CompiledModule = object
/** The WebAssembly global, typed here: the project's TypeScript libs (no DOM) do not declare it. */
export const Wasm = (globalThis as unknown as { WebAssembly: {
  compile(bytes: Uint8Array): Promise<CompiledModule>
  instantiate(module: CompiledModule, imports: object): Promise<object>
  Module: new (bytes: Uint8Array) => CompiledModule
} }).WebAssembly

const require = createRequire(import.meta.url)
/** A file of libpg-query's WebAssembly build: the module, or its Emscripten loader. */
export function pgParserFile(name: 'libpg-query.wasm' | 'libpg-query.js'): string {
  return require.resolve(`libpg-query/wasm/${name}`)
}

/**
 * Starts the compile on V8's background threads (it finishes when this thread next turns its event
 * loop). A failure here (no libpg-query) is left to the parser's own load to report.
 */
export function preloadPgParser(): void {
  try {
    keep(Wasm.compile(readFileSync(pgParserFile('libpg-query.wasm'))))
  } catch {
    // the parser's load reports it
  }
}

/**
 * Compiles the module now, on this thread (~5 ms: V8 compiles each function at its first call), for
 * a worker that starts at once (cli/main.ts); the parser then loads the same module.
 */
export function compilePgParserNow(): CompiledModule | undefined {
  try {
    const module = new Wasm.Module(readFileSync(pgParserFile('libpg-query.wasm')))
    keep(Promise.resolve(module))
    return module
  } catch {
    return undefined
  }
}

function keep(compile: Promise<CompiledModule>): void {
  compile.catch(() => {})
  ;(globalThis as Holder)[KEY] = compile
}

/** The compile the bin started, once; undefined when none was. */
export function takePreloadedPgParser(): Promise<CompiledModule> | undefined {
  const compile = (globalThis as Holder)[KEY]
  delete (globalThis as Holder)[KEY]
  return compile
}
