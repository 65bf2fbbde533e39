import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type CompiledModule, pgParserFile, takePreloadedPgParser, Wasm } from './pg-parser-preload.js'

/**
 * The Postgres parser (libpg-query's WebAssembly build), driven directly instead of through
 * libpg-query's wrapper, whose string helpers walk every byte in JavaScript: a large migration's
 * parse tree is 12 MB of JSON, read here with native TextDecoder / TextEncoder calls. Same module,
 * same exports, same results as libpg-query's `parseSync` and `scanSync`.
 */

interface PgQueryWasm {
  _malloc(size: number): number
  _free(ptr: number): void
  _wasm_parse_query_raw(ptr: number): number
  _wasm_free_parse_result(ptr: number): void
  _wasm_scan(ptr: number): number
  _wasm_free_string(ptr: number): void
  getValue(ptr: number, type: 'i32'): number
  HEAPU8: Uint8Array
}

// Emscripten's own string helpers walk the bytes in JavaScript; a parse tree of a large file is
// 12 MB of JSON. These are native.
const encoder = new TextEncoder()
const decoder = new TextDecoder()

function readCString(module: PgQueryWasm, ptr: number): string {
  const heap = module.HEAPU8
  return decoder.decode(heap.subarray(ptr, heap.indexOf(0, ptr)))
}

/** A parse error as the parser reports it: the message and a 0-based character offset. */
export class PgParseFailure extends Error {
  constructor(message: string, readonly cursorPosition: number | null) {
    super(message)
    this.name = 'PgParseFailure'
  }
}

const require = createRequire(import.meta.url)
let wasm: PgQueryWasm | undefined
let compiled: CompiledModule | undefined

let loading: Promise<void> | undefined

/** libpg-query's Emscripten loader, and a module option that instantiates an already compiled module. */
export const PG_PARSER_LOADER = pgParserFile('libpg-query.js')
type PgParserFactory = (options?: { instantiateWasm?: (imports: object, done: (instance: object) => void) => object }) => Promise<PgQueryWasm>

/** Compiles and instantiates the parser module. Once per process. */
export function loadPgParser(): Promise<void> {
  loading ??= (async () => {
    // Compiled here rather than by the loader, so a worker can reuse the compiled module (parse-tail.ts).
    compiled = await (takePreloadedPgParser() ?? Wasm.compile(readFileSync(pgParserFile('libpg-query.wasm'))))
    const factory: PgParserFactory = require(PG_PARSER_LOADER)
    const module = compiled
    wasm = await new Promise<PgQueryWasm>((resolve, reject) => {
      factory({
        instantiateWasm(imports, done) {
          Wasm.instantiate(module, imports).then(done, reject)
          return {}
        },
      }).then(resolve, reject)
    })
  })()
  return loading
}

/** The compiled parser module, once loadPgParser() has finished. */
export function compiledPgParser(): CompiledModule | undefined {
  return wasm ? compiled : undefined
}

// Start compiling as soon as the linter is imported (as libpg-query itself does): V8 compiles the
// 1.7 MB module on background threads while the CLI loads its config and finds the files. A
// pre-commit run otherwise waits ~100 ms for it. A failure surfaces from the caller's loadPgParser().
loadPgParser().catch(() => {})

function loaded(): PgQueryWasm {
  if (!wasm) throw new Error('the parser is not loaded: await loadPgParser() first')
  return wasm
}

function withCString<T>(module: PgQueryWasm, text: string, use: (ptr: number) => T): T {
  const bytes = encoder.encode(text)
  const ptr = module._malloc(bytes.length + 1)
  try {
    // HEAPU8 is read after _malloc: growing the memory replaces the view.
    module.HEAPU8.set(bytes, ptr)
    module.HEAPU8[ptr + bytes.length] = 0
    return use(ptr)
  } finally {
    module._free(ptr)
  }
}

/** The parse tree of `sql` as JSON text. Throws PgParseFailure for SQL that does not parse. */
export function parseToJson(sql: string): string {
  const module = loaded()
  if (sql === '') throw new PgParseFailure('Query cannot be empty', null)
  return withCString(module, sql, (queryPtr) => {
    const result = module._wasm_parse_query_raw(queryPtr)
    if (!result) throw new PgParseFailure('Failed to parse query: memory allocation failed', null)
    try {
      // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error }
      const tree = module.getValue(result, 'i32')
      const error = module.getValue(result + 8, 'i32')
      if (error) {
        // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos }
        const message = module.getValue(error, 'i32')
        const cursor = module.getValue(error + 16, 'i32')
        throw new PgParseFailure(message ? readCString(module, message) : 'Unknown error', cursor > 0 ? cursor - 1 : 0)
      }
      if (!tree) throw new PgParseFailure('No parse tree generated', null)
      return readCString(module, tree)
    } finally {
      module._wasm_free_parse_result(result)
    }
  })
}

export interface PgToken {
  start: number
  end: number
  tokenName: string
}

/** The scanner's tokens (byte offsets), comments included. */
export function scanTokens(sql: string): PgToken[] {
  const module = loaded()
  return withCString(module, sql, (queryPtr) => {
    const result = module._wasm_scan(queryPtr)
    try {
      const text = readCString(module, result)
      if (/^(syntax error|deparse error|ERROR)/.test(text)) throw new PgParseFailure(text, null)
      return JSON.parse(text).tokens ?? []
    } finally {
      if (result) module._wasm_free_string(result)
    }
  })
}
