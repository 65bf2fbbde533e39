import { availableParallelism, cpus, loadavg } from 'node:os'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { compiledPgParser, PG_PARSER_LOADER } from './pg-parser.js'

/**
 * A large file is parsed on two threads, and linted while the second one still parses: the calling
 * thread parses a small head, then classifies its statements while a worker parses the rest in
 * parts, each handed over as soon as it is done (statement-stream.ts). Classifying a statement costs
 * more than parsing it, so the worker stays ahead, and the calling thread only waits for the worker's
 * start (~50 ms: thread, loader, instance), which the head covers.
 * The worker reuses the compiled parser module. statement-stream.ts checks that each cut really ends
 * a statement and otherwise parses the rest itself, so statements, spans and parse errors are those
 * of one whole-file parse (test/linter/statement-stream.test.ts).
 * 20,000 statements, 2 cores, interleaved: see docs/linter.md.
 */

/** A second core counts as idle while the 1-minute load average is at most cores minus this (the fallback). */
export const LOAD_SLACK = 0.25
/**
 * The worker is started while at least this many cores were left idle by other processes since
 * the last look, besides the one this thread runs on. Measured in the ~30–80 ms between the
 * linter's import and the parse of a CLI run on 2 cores: see secondCoreIdle.
 */
export const IDLE_CORES = 0.4
/** Below this a worker's start (~40 ms) costs more than half a parse saves. */
const MIN_CHARS = 512 * 1024
/** The calling thread's share: about what it parses while the worker starts. */
const HEAD_SHARE = 0.1
/** The worker's share is handed over in this many parts. */
const PARTS = 8

// CommonJS, run with `eval`: the same code from dist/ and from the TypeScript sources under test.
// The parse mirrors pg-parser.ts parseToJson. One message per part, in order, each the part's JSON
// text or null for a failure, after which nothing more is sent; a counter in shared memory tells
// the calling thread how many were sent.
const WORKER = `
const { workerData } = require('node:worker_threads')
const { parts, shifts, loader, module, port, shared } = workerData
let failed = false
function send(json) {
  if (failed) return
  if (json === null) failed = true
  port.postMessage(json)
  Atomics.add(shared, 0, 1)
  Atomics.notify(shared, 0)
}
// The calling thread blocks until a part is sent and cannot see this thread's error events: any
// failure (the parser instance's promise rejecting, say) must answer null, or it waits out the deadline.
process.on('uncaughtException', () => send(null))
process.on('unhandledRejection', () => send(null))
;(async () => {
  const m = await require(loader)({ instantiateWasm(imports, done) { WebAssembly.instantiate(module, imports).then(done); return {} } })
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  for (let k = 0; k < parts.length; k++) {
    const bytes = encoder.encode(parts[k])
    const shift = shifts[k]
    // A part is parsed behind as many spaces as the file has bytes before it: the tree's byte
    // locations are then the whole file's, with nothing to rewrite (the lexer skips spaces fast).
    const ptr = m._malloc(shift + bytes.length + 1)
    m.HEAPU8.fill(32, ptr, ptr + shift)
    m.HEAPU8.set(bytes, ptr + shift)
    m.HEAPU8[ptr + shift + bytes.length] = 0
    const result = m._wasm_parse_query_raw(ptr)
    let json = null
    try {
      const tree = m.getValue(result, 'i32')
      const error = m.getValue(result + 8, 'i32')
      const heap = m.HEAPU8
      if (tree && !error) json = decoder.decode(heap.subarray(tree, heap.indexOf(0, tree)))
    } finally {
      m._wasm_free_parse_result(result)
      m._free(ptr)
    }
    send(json)
    if (json === null) return
  }
})().catch(() => send(null))
`

/** Where a part of the file starts: a character offset and the UTF-8 byte offset of the same place. */
export interface PartStart {
  char: number
  byte: number
}

export interface TailParse {
  /** Where each of the worker's parts starts; the first is where the calling thread's head ends. */
  starts: readonly PartStart[]
  /** The worker's parse of its next part as JSON text (blocking); null when it failed or stopped answering. */
  next(): string | null
  /** Stops the worker; further parts are not parsed. */
  close(): void
}

/**
 * Idle and total CPU time of all cores since boot, in ms (counted in clock ticks of 10 ms), and the
 * CPU time this process has used, every thread of it (exact).
 */
export interface CpuTimes {
  idle: number
  total: number
  cores: number
  own: number
}

function cpuTimes(): CpuTimes {
  const list = cpus()
  let idle = 0
  let total = 0
  for (const { times } of list) {
    idle += times.idle
    total += times.user + times.nice + times.sys + times.idle + times.irq
  }
  const usage = process.cpuUsage()
  return { idle, total, cores: list.length, own: (usage.user + usage.system) / 1000 }
}

let lastLook = cpuTimes()

/**
 * A large file, and a second core that is idle right now. A busy second core makes the worker a
 * net loss (20,000 statements with two other processes spinning: 1.55 s against 1.37 s on one
 * thread; with one, a draw).
 */
export function worthASecondThread(sql: string): boolean {
  const cores = availableParallelism()
  if (sql.length < MIN_CHARS || cores < 2) return false
  const now = cpuTimes()
  const idle = secondCoreIdle(lastLook, now, loadavg()[0], cores)
  lastLook = now
  return idle
}

/**
 * Whether a core is free at the moment besides the one this thread runs on: the cores' busy time
 * between two looks (in a CLI run, the window since the linter was imported) less this process's
 * own is what other processes used. Counting our own start as well (V8's compile and GC threads
 * keep a core and a half busy then) left 0.33–1.2 idle cores on an idle machine, one 10 ms clock
 * tick from the threshold, and the worker was skipped in some runs of a quiet bench. (A program that
 * lints in-process while its own other threads keep a core busy is told that core is free; the cost
 * is the draw measured beside one busy process.) The 1-minute load average, asked only when that
 * window is under two clock ticks per core, also remembers runs that have ended: a bench's or a CI
 * loop's lint after lint holds it at 1.5–2 on 2 idle cores.
 */
export function secondCoreIdle(before: CpuTimes, now: CpuTimes, load: number, cores: number): boolean {
  const total = now.total - before.total
  if (now.cores === 0 || total < 20 * now.cores) return load <= cores - LOAD_SLACK
  const others = total - (now.idle - before.idle) - (now.own - before.own)
  return now.cores - 1 - (others / total) * now.cores >= IDLE_CORES
}

/**
 * Where to cut: after a `;` + newline at or after each offset, skipping function and DO bodies
 * (`$$ ... $$`, `$tag$ ... $tag$`), where most of a file's other `;` + newlines are. Only a guess:
 * a `;` + newline in a string or comment makes a part that does not end where the whole parse's
 * statement does, and statement-stream.ts then parses on from the last sound cut itself.
 */
function cutPoints(sql: string, offsets: number[]): number[] {
  // Sticky: tried at each `$` only (found by the native indexOf), not searched for through the file.
  const tag = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y
  const cuts: number[] = []
  // `at` is never inside a body: the file is read from its start, body after body.
  let at = 0
  /** Moves `at` past the body the first dollar quote from `at` on opens, if it opens before `before`. */
  const skipBody = (before: number): boolean => {
    for (let dollar = sql.indexOf('$', at); dollar !== -1 && dollar < before; dollar = sql.indexOf('$', dollar + 1)) {
      tag.lastIndex = dollar
      const open = tag.exec(sql)
      if (!open) continue
      const close = sql.indexOf(open[0], dollar + open[0].length)
      at = close < 0 ? sql.length : close + open[0].length
      return true
    }
    return false
  }
  for (const offset of offsets) {
    while (skipBody(offset));
    at = Math.max(at, offset)
    for (;;) {
      const cut = sql.indexOf(';\n', at)
      if (cut < 0) return cuts
      if (!skipBody(cut)) {
        cuts.push((at = cut + 1))
        break
      }
    }
  }
  return cuts
}

/** The default cut points: a small head, then equal parts. */
function defaultCuts(length: number): number[] {
  const head = Math.floor(length * HEAD_SHARE)
  return Array.from({ length: PARTS }, (_, k) => head + Math.floor(((length - head) * k) / PARTS))
}

/**
 * Starts parsing `sql` after a head on a worker, in parts cut at the first `;` + newline outside a
 * dollar-quoted body at or after each of `cuts` (character offsets); null when there is no such cut.
 * `loader`: the parser's Emscripten loader (tests give a failing one).
 */
export function startTailParse(sql: string, cuts = defaultCuts(sql.length), loader = PG_PARSER_LOADER): TailParse | null {
  const module = compiledPgParser()
  if (!module) return null
  const starts: PartStart[] = []
  let byte = 0
  let char = 0
  for (const cut of cutPoints(sql, cuts)) {
    byte += Buffer.byteLength(sql.slice(char, cut), 'utf8')
    starts.push({ char: cut, byte })
    char = cut
  }
  if (!starts.length) return null
  const parts = starts.map((start, k) => sql.slice(start.char, starts[k + 1]?.char ?? sql.length))
  const shared = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  const workerData = { parts, shifts: starts.map((s) => s.byte), loader, module, port: port2, shared }
  const worker = new Worker(WORKER, { eval: true, workerData, transferList: [port2] })
  worker.unref()
  // The worker always answers, but if it cannot even start, give up after a generous time.
  const deadline = Date.now() + 10_000 + sql.length / 100
  let taken = 0
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    port1.close()
    void worker.terminate()
  }
  return {
    starts,
    next() {
      if (closed || taken >= parts.length) return null
      // The linter is synchronous: block until the worker has sent this part.
      for (let sent = Atomics.load(shared, 0); sent <= taken; sent = Atomics.load(shared, 0)) {
        const wait = deadline - Date.now()
        if (wait <= 0 || Atomics.wait(shared, 0, sent, wait) === 'timed-out') {
          close()
          return null
        }
      }
      taken++
      const json = receiveMessageOnPort(port1)?.message as string | null | undefined
      if (typeof json !== 'string') close()
      return typeof json === 'string' ? json : null
    },
    close,
  }
}
