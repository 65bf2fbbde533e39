import { availableParallelism, loadavg } from 'node:os'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { compiledPgParser, PG_PARSER_LOADER } from './pg-parser.js'

/**
 * A large file is parsed on two threads: a worker parses the part after the first `;` + newline
 * past 60% while the calling thread parses the part before it; each statement's tree is JSON.parsed
 * later, when the linter reads it (lazy-statement.ts).
 * The worker reuses the compiled parser module, so it only pays for its own start. parse.ts checks
 * that the cut really ends a statement and otherwise parses the whole file, so statements, spans
 * and parse errors are those of one parse (test/linter/parse-tail.test.ts).
 * 20,000 statements at load 1.1–1.5 on 2 cores (8 runs each, interleaved): 0.88 → 0.83 s wall,
 * 0.98 → 1.05 s CPU.
 */

/** A second core counts as idle while the 1-minute load average is at most cores minus this. */
export const LOAD_SLACK = 0.25
/** Below this a worker's start (~40 ms) costs more than half a parse saves. */
const MIN_CHARS = 512 * 1024
/**
 * The calling thread's share. The worker starts ~50 ms late (thread, loader, instance), so the two
 * parts are done together when the calling thread takes (W + 50 ms) / 2W of a parse taking W:
 * ~0.64 for the 180 ms of a 2 MB file; a little less, as a busy moment delays the worker most.
 */
const HEAD_SHARE = 0.6

// CommonJS, run with `eval`: the same code from dist/ and from the TypeScript sources under test.
// The parse mirrors pg-parser.ts parseToJson; any failure replies { json: null }.
const WORKER = `
const { workerData } = require('node:worker_threads')
const { text, shift, loader, module, port, shared } = workerData
let reply = { json: null }
;(async () => {
  const m = await require(loader)({ instantiateWasm(imports, done) { WebAssembly.instantiate(module, imports).then(done); return {} } })
  const bytes = new TextEncoder().encode(text)
  // The part is parsed behind as many spaces as the file has bytes before it: the tree's byte
  // locations are then the whole file's, with nothing to rewrite (the lexer skips spaces fast).
  const ptr = m._malloc(shift + bytes.length + 1)
  m.HEAPU8.fill(32, ptr, ptr + shift)
  m.HEAPU8.set(bytes, ptr + shift)
  m.HEAPU8[ptr + shift + bytes.length] = 0
  const result = m._wasm_parse_query_raw(ptr)
  try {
    const tree = m.getValue(result, 'i32')
    const error = m.getValue(result + 8, 'i32')
    const heap = m.HEAPU8
    if (tree && !error) reply = { json: new TextDecoder().decode(heap.subarray(tree, heap.indexOf(0, tree))) }
  } finally {
    m._wasm_free_parse_result(result)
    m._free(ptr)
  }
})().catch(() => {}).finally(() => {
  port.postMessage(reply)
  Atomics.store(shared, 0, 1)
  Atomics.notify(shared, 0)
})
`

export interface TailParse {
  /** The text the caller parses: everything up to and including the `;` at the cut. */
  head: string
  /** The head's length in UTF-8 bytes: where the worker's part starts. */
  headBytes: number
  /** The worker's parse tree of the rest as JSON text; null when it failed (the caller then parses the whole file). */
  finish(): string | null
}

/** A large file, and a second core that is idle enough to parse half of it. */
export function worthASecondThread(sql: string): boolean {
  // A busy second core makes the worker a net loss: measured 1.07 vs 0.94 s on the 20,000-statement
  // file at load 2.4 on 2 cores. The 1-minute load average counts this process's own recent work
  // too: a sequential run of lint after lint (a bench, a CI loop) holds it at 1.0–1.7 on its own.
  return sql.length >= MIN_CHARS && availableParallelism() >= 2 && loadavg()[0] <= availableParallelism() - LOAD_SLACK
}

/** Starts parsing the second part of `sql` on a worker; null when there is no `;` + newline to cut at. */
export function startTailParse(sql: string, from = Math.floor(sql.length * HEAD_SHARE)): TailParse | null {
  const module = compiledPgParser()
  if (!module) return null
  const cut = sql.indexOf(';\n', from) + 1
  if (cut <= 0) return null
  const shared = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  const head = sql.slice(0, cut)
  const headBytes = Buffer.byteLength(head, 'utf8')
  const tail = sql.slice(cut)
  const worker = new Worker(WORKER, { eval: true, workerData: { text: tail, shift: headBytes, loader: PG_PARSER_LOADER, module, port: port2, shared }, transferList: [port2] })
  worker.unref()
  return {
    head,
    headBytes,
    finish() {
      try {
        // The linter is synchronous: block until the worker replies. The worker always replies,
        // but if it cannot even start, give up after a generous time and parse on this thread.
        Atomics.wait(shared, 0, 0, 10_000 + tail.length / 100)
        const reply = receiveMessageOnPort(port1)?.message as { json: string | null } | undefined
        return reply?.json ?? null
      } finally {
        port1.close()
        void worker.terminate()
      }
    },
  }
}
