import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads'
import { parseJsonEntries } from './split-parse-json.js'

/**
 * The parser's worker for the tail of a large file (parse-tail.ts). Apart, because the CLI's bin
 * also starts one, before the CLI has loaded (cli/main.ts): free of work at load, and of imports but
 * split-parse-json.ts, which has neither (the worker runs its source).
 */

// CommonJS, run with `eval`: the same code from dist/ and from the TypeScript sources under test.
// The parse mirrors pg-parser.ts parseToJson. The worker makes its parser instance at once, then
// waits for the parts (a worker started ahead waits here for the file). One message per part, in
// order, each a TailPart or null for a failure, after which nothing more is sent; a counter in
// shared memory tells the calling thread how many were sent.
const WORKER = `
const { workerData } = require('node:worker_threads')
const { loader, module, port, shared } = workerData
let failed = false
function send(part) {
  if (failed) return
  if (part === null) failed = true
  port.postMessage(part, part?.entries ? [part.entries.buffer] : [])
  Atomics.add(shared, 0, 1)
  Atomics.notify(shared, 0)
}
// The calling thread blocks until a part is sent and cannot see this thread's error events: any
// failure (the parser instance's promise rejecting, say) must answer null, or it waits out the deadline.
process.on('uncaughtException', () => send(null))
process.on('unhandledRejection', () => send(null))
const instance = require(loader)({ instantiateWasm(imports, done) { WebAssembly.instantiate(module, imports).then(done); return {} } })
port.once('message', ({ parts, shifts }) => instance.then((m) => parseParts(m, parts, shifts)).catch(() => send(null)))
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const cut = ${parseJsonEntries.toString()}
function parseParts(m, parts, shifts) {
  for (let k = 0; k < parts.length; k++) {
    const json = parse(m, parts[k], shifts[k])
    if (json === null) return send(null)
    // Cut here, where there is time: the calling thread then only slices (statements-of-json.ts).
    const entries = cut(json)
    send({ json, entries: entries && Int32Array.from(entries) })
  }
}
// A part is parsed behind as many spaces as the file has bytes before it (shift): the tree's byte
// locations are then the whole file's, with nothing to rewrite (the lexer skips spaces fast).
function parse(m, text, shift) {
  const bytes = encoder.encode(text)
  const ptr = m._malloc(shift + bytes.length + 1)
  m.HEAPU8.fill(32, ptr, ptr + shift)
  m.HEAPU8.set(bytes, ptr + shift)
  m.HEAPU8[ptr + shift + bytes.length] = 0
  const result = m._wasm_parse_query_raw(ptr)
  try {
    const tree = m.getValue(result, 'i32')
    const error = m.getValue(result + 8, 'i32')
    const heap = m.HEAPU8
    return tree && !error ? decoder.decode(heap.subarray(tree, heap.indexOf(0, tree))) : null
  } finally {
    m._wasm_free_parse_result(result)
    m._free(ptr)
  }
}
`

/** A part's parse: its JSON text, and where its statements are in it (parseJsonEntries' four numbers each), null when the text could not be cut. */
export interface TailPart {
  json: string
  entries: Int32Array | null
}

export interface TailWorker {
  worker: Worker
  /** The calling thread's end of the worker's channel: the parts go out on it, their trees come back. */
  port: MessagePort
  /** How many parts the worker has sent. */
  shared: Int32Array
}

/**
 * Starts a worker that makes a parser instance of `module` (a compiled WebAssembly.Module) with
 * the Emscripten `loader`, then waits for `{ parts, shifts }` on `port`. Unref'd: it never keeps the process alive.
 */
export function spawnTailWorker(module: object, loader: string): TailWorker {
  const shared = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  // execArgv: none of the host's options, some of which would change how the code is run:
  // `node --input-type=module` would make the worker's code an ES module, without `require`.
  const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { loader, module, port: port2, shared }, transferList: [port2] })
  // A worker that cannot start never answers: the calling thread gives up at its deadline and
  // parses the rest itself. Its error must not end the host process meanwhile.
  worker.on('error', () => {})
  worker.unref()
  return { worker, port: port1, shared }
}
