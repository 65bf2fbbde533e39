import { readFileSync } from 'node:fs'
import { join } from 'node:path'
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

/** Immediate shutdown by signal (SIGQUIT), then SIGKILL if it lingers. Resolves once the postmaster is gone. */
export async function killPostmaster(dataDir: string, waitMs = 10_000): Promise<void> {
  const pid = livePostmasterPid(dataDir)
  if (!pid) return
  try {
    process.kill(pid, 'SIGQUIT')
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
