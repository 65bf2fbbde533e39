import { readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** Written into every temp folder we create, so sweep() can tell a crashed run's leftovers from a live run's folder. */
export const OWNER_FILE = 'koinonia-owner.json'

export interface Owner {
  pid: number
  host: string
  label: string
  createdAt: string
}

/** Marks a folder as owned by this process. */
export function markOwned(root: string, label: string): void {
  const owner: Owner = { pid: process.pid, host: hostname(), label, createdAt: new Date().toISOString() }
  writeFileSync(join(root, OWNER_FILE), JSON.stringify(owner))
}

export function readOwner(root: string): Owner | null {
  try {
    return JSON.parse(readFileSync(join(root, OWNER_FILE), 'utf8')) as Owner
  } catch {
    return null
  }
}

/** Whether a process id is alive on this machine (EPERM means alive but not ours). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  // A zombie (exited, not yet reaped by its parent or init) still answers kill(0) but runs nothing.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc: trust kill(0)
  }
}

/** Whether the owner of a folder is gone (a process on this host that no longer runs). */
export function ownerGone(owner: Owner): boolean {
  return owner.host === hostname() && !pidAlive(owner.pid)
}
