import { cpus } from 'node:os'

/**
 * Whether a second core is free for the parser's worker (parse-tail.ts): a busy second core makes
 * the worker a net loss (20,000 statements with two other processes spinning: 1.55 s against
 * 1.37 s on one thread; with one, a draw). Also loaded by the bin (cli/main.ts), which takes the
 * first look at the process's start to start the worker before the CLI has loaded: keep it free of
 * other imports and of work at load.
 */

/** A second core counts as idle while the 1-minute load average is at most cores minus this (the fallback). */
export const LOAD_SLACK = 0.25
/**
 * The worker is started while at least this many cores were left idle by other processes since
 * the last look, besides the one this thread runs on. Measured in the ~30–80 ms between the
 * linter's import (or the bin's start) and the parse of a CLI run on 2 cores: see secondCoreIdle.
 */
export const IDLE_CORES = 0.4
/** Below this many characters a worker's start (~40 ms) costs more than half a parse saves. */
export const MIN_CHARS = 512 * 1024

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

export function cpuTimes(): CpuTimes {
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

/**
 * Whether a core is free at the moment besides the one this thread runs on: the cores' busy time
 * between two looks (in a CLI run, the window since the linter was imported, or since the bin
 * started when it started the worker ahead) less this process's own is what other processes used.
 * Counting our own start as well (V8's compile and GC threads keep a core and a half busy then)
 * left 0.33–1.2 idle cores on an idle machine, one 10 ms clock tick from the threshold, and the
 * worker was skipped in some runs of a quiet bench. (A program that lints in-process while its own
 * other threads keep a core busy is told that core is free; the cost is the draw measured beside
 * one busy process.) The 1-minute load average, asked only when that window is under two clock
 * ticks per core, also remembers runs that have ended: a bench's or a CI loop's lint after lint
 * holds it at 1.5–2 on 2 idle cores.
 */
export function secondCoreIdle(before: CpuTimes, now: CpuTimes, load: number, cores: number): boolean {
  const total = now.total - before.total
  if (now.cores === 0 || total < 20 * now.cores) return load <= cores - LOAD_SLACK
  const others = total - (now.idle - before.idle) - (now.own - before.own)
  return now.cores - 1 - (others / total) * now.cores >= IDLE_CORES
}
