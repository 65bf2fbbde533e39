import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pidAlive } from './owner-file.js'

/** The postmaster's pid from `postmaster.pid` when that process is alive and is a Postgres server. */
export function livePostmasterPid(dataDir: string): number | null {
  let pid: number
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  } catch {
    return null
  }
  if (!pidAlive(pid)) return null
  try {
    // A stale pid file may name a recycled pid that now belongs to something else.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    if (!/postgres|postmaster/.test(cmdline)) return null
  } catch {
    // No /proc (not Linux): trust the pid file.
  }
  return pid
}

/**
 * Processes working in `dir` (a data directory, or a folder of ours), found by the path in their
 * arguments (our temp folders are unique): what pg_ctl stop cannot see, or what a tool we ran left
 * behind. A start that timed out leaves pg_ctl's child, first a copy of pg_ctl, then
 * `sh -c "exec postgres -D ..."`, then the postmaster (one pid throughout), which writes
 * `postmaster.pid` only once it has read its configuration; a restore tool killed mid-copy may leave
 * its copying children (rsync, pgBackRest's workers). Until they end they go on writing into a folder
 * being removed. Linux only (/proc); none elsewhere.
 */
export function processesOn(dir: string): number[] {
  const path = resolve(dir)
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }
  const pids: number[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    let cmdline: string
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
    } catch {
      continue // exited meanwhile, or not ours to read
    }
    const at = cmdline.indexOf(path)
    if (at >= 0 && /^(?:$|[\0"' /])/.test(cmdline.slice(at + path.length, at + path.length + 1))) pids.push(Number(entry))
  }
  return pids
}

/**
 * Kills what {@link processesOn} finds until two scans in a row find nothing (a process between fork and
 * exec may show no arguments for a moment). Returns the pids it killed.
 */
export async function killProcessesOn(dir: string, waitMs = 3_000): Promise<number[]> {
  const killed: number[] = []
  for (let emptyScans = 0, round = 0; emptyScans < 2 && round < 20; round++) {
    const pids = processesOn(dir)
    if (pids.length === 0) {
      emptyScans++
      await sleep(50)
      continue
    }
    emptyScans = 0
    for (const pid of pids) if (!killed.includes(pid)) killed.push(pid)
    await Promise.all(pids.map((pid) => killProcess(pid, waitMs, isPostgres(pid) ? 'SIGQUIT' : 'SIGTERM')))
  }
  return killed
}

/** Immediate shutdown by signal (SIGQUIT), then SIGKILL if it lingers. Resolves once the postmaster is gone. */
export async function killPostmaster(dataDir: string, waitMs = 10_000): Promise<void> {
  const pid = livePostmasterPid(dataDir)
  if (pid) await killProcess(pid, waitMs)
}

/** Whether a process runs a Postgres server binary (its first argument), for the signal that stops it. */
function isPostgres(pid: number): boolean {
  try {
    return /(?:^|\/)(?:postgres|postmaster)$/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0])
  } catch {
    return false
  }
}

/**
 * `signal` (default SIGQUIT, Postgres' immediate shutdown; SIGTERM for other programs, which SIGQUIT
 * would make dump core), then SIGKILL if the process is still there after `waitMs`. A postmaster still
 * starting has its signals blocked until it serves; one stuck before that needs SIGKILL.
 */
export async function killProcess(pid: number, waitMs: number, signal: NodeJS.Signals = 'SIGQUIT'): Promise<void> {
  try {
    process.kill(pid, signal)
  } catch {
    return
  }
  const deadline = Date.now() + waitMs
  while (pidAlive(pid) && Date.now() < deadline) await sleep(100)
  if (pidAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
    await waitForExit(pid)
  }
}

/** Waits until a process has exited (pg_ctl stop returns once the pid file is gone, a moment before the process is). */
export async function waitForExit(pid: number, waitMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + waitMs
  while (pidAlive(pid)) {
    if (Date.now() >= deadline) return false
    await sleep(50)
  }
  return true
}
