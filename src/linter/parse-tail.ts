import { availableParallelism, loadavg } from 'node:os'
import { receiveMessageOnPort } from 'node:worker_threads'
import { compiledPgParser, PG_PARSER_LOADER } from './pg-parser.js'
import { cpuTimes, type CpuTimes, MIN_CHARS, secondCoreIdle } from './second-core.js'
import { spawnTailWorker, type TailPart, type TailWorker } from './tail-worker.js'

/**
 * A large file is parsed on two threads, and linted while the second one still parses: the calling
 * thread parses a small head, then classifies its statements while a worker parses the rest in
 * parts, each handed over as soon as it is done (statement-stream.ts). Classifying a statement costs
 * more than parsing it, so the worker stays ahead, and the calling thread only waits for the worker's
 * start (~50 ms: thread, loader, instance), which the head covers.
 * The worker reuses the compiled parser module. statement-stream.ts checks that each cut really ends
 * a statement and otherwise parses the rest itself, so statements, spans and parse errors are those
 * of one whole-file parse (test/linter/statement-stream.test.ts).
 * The CLI's bin starts the worker before the CLI has loaded when it is given a large file
 * (adoptTailWorker): the worker is then ready when the file is, and the head only covers the
 * worker's first part.
 * 20,000 statements, 2 cores, interleaved: see docs/linter.md.
 */

/** The calling thread's share: about what it parses while the worker starts. */
const HEAD_SHARE = 0.1
/** The worker's share is handed over in this many parts. */
const PARTS = 8

/** Where a part of the file starts: a character offset and the UTF-8 byte offset of the same place. */
export interface PartStart {
  char: number
  byte: number
}

export interface TailParse {
  /** Where each of the worker's parts starts; the first is where the calling thread's head ends. */
  starts: readonly PartStart[]
  /** The worker was started ahead (adoptTailWorker). */
  prestarted: boolean
  /** The worker's parse of its next part (blocking); null when it failed or stopped answering. */
  next(): TailPart | null
  /** Stops the worker; further parts are not parsed. */
  close(): void
}

let lastLook = cpuTimes()

/** A worker the bin started ahead, waiting for its parts, and the bin's first look at the cores. */
let waiting: { tail: TailWorker; since: CpuTimes } | null = null

/**
 * A large file, and a second core that is idle right now (second-core.ts): other processes left
 * one free since the last look (the linter's import, or the bin's start when it started the worker
 * ahead). A worker started ahead is stopped when the answer is no.
 */
export function worthASecondThread(sql: string): boolean {
  if (sql.length < MIN_CHARS) return false
  const cores = availableParallelism()
  const now = cpuTimes()
  const idle = cores >= 2 && secondCoreIdle(waiting?.since ?? lastLook, now, loadavg()[0], cores)
  lastLook = now
  if (!idle) stopWaiting()
  return idle
}

/**
 * For the CLI's bin: the worker it started for a large file before the CLI loaded, with the parser
 * module it compiled (the one pg-parser.ts loads), and its first look at the cores. The next large
 * file's tail goes to it, if a second core is still idle then.
 */
export function adoptTailWorker(tail: TailWorker, since: CpuTimes): void {
  stopWaiting()
  waiting = { tail, since }
}

function stopWaiting(): void {
  if (waiting) void waiting.tail.worker.terminate()
  waiting = null
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

/** With a worker started ahead: a head of 2%, then parts that grow, so the first arrives soon. */
const READY_CUTS = [0.02, 0.04, 0.08, 0.16, 0.3, 0.48, 0.66, 0.84]

/**
 * Starts parsing `sql` after a head on a worker, in parts cut at the first `;` + newline outside a
 * dollar-quoted body at or after each of `cuts` (character offsets); null when there is no such cut.
 * The worker started ahead is taken when there is one. `loader`: the parser's Emscripten loader
 * (tests give a failing one; a worker started ahead has the real one).
 */
export function startTailParse(sql: string, cuts?: number[], loader = PG_PARSER_LOADER): TailParse | null {
  const module = compiledPgParser()
  if (!module) return null
  const ready = loader === PG_PARSER_LOADER ? (waiting?.tail ?? null) : null
  const starts: PartStart[] = []
  let byte = 0
  let char = 0
  for (const cut of cutPoints(sql, cuts ?? (ready ? READY_CUTS.map((share) => Math.floor(sql.length * share)) : defaultCuts(sql.length)))) {
    byte += Buffer.byteLength(sql.slice(char, cut), 'utf8')
    starts.push({ char: cut, byte })
    char = cut
  }
  if (!starts.length) return null
  if (ready) waiting = null
  const parts = starts.map((start, k) => sql.slice(start.char, starts[k + 1]?.char ?? sql.length))
  const { worker, port, shared } = ready ?? spawnTailWorker(module, loader)
  port.postMessage({ parts, shifts: starts.map((s) => s.byte) })
  // The worker always answers, but if it cannot even start, give up after a generous time.
  const deadline = Date.now() + 10_000 + sql.length / 100
  let taken = 0
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    port.close()
    void worker.terminate()
  }
  return {
    starts,
    prestarted: ready !== null,
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
      const part = receiveMessageOnPort(port)?.message as TailPart | null | undefined
      if (!part) close()
      return part ?? null
    },
    close,
  }
}
