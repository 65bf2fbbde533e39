import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONTAINER_LABEL, OWNER_LABEL, dockerAvailable, listContainers, removeContainers } from './docker.js'
import { TEMP_PREFIX } from './local-cluster.js'
import { ownerGone, readOwner, type Owner } from './owner-file.js'
import { killPostmaster, killProcessesOn, livePostmasterPid } from './postmaster.js'

export interface SweepOptions {
  /** Only leftovers of this label (`koinonia-<label>-*` folders, `koinonia-db=<label>` containers). */
  label?: string
  /** Folder to scan; default the OS temp folder. */
  tmpDir?: string
  /** Also remove labelled containers (default true; skipped quietly when no Docker engine answers). */
  docker?: boolean
  /**
   * Folders without an owner file (written by older versions or by other tools sharing the prefix)
   * are removed only when untouched for this long and no live postmaster uses them. Default 10 minutes.
   */
  unownedMinAgeMs?: number
  /** Also drop `koinonia_*` scratch databases whose owning process is gone on this server (the url provider's). */
  url?: string
}

export interface SweepResult {
  /** Temp folders removed. */
  folders: string[]
  /** Postmaster pids shut down because their folder's owner was gone. */
  servers: number[]
  /** Container ids removed. */
  containers: string[]
  /** Scratch databases dropped on `url`. */
  databases: string[]
  /** What was left alone and why (a live run, too recent, Docker unavailable). */
  skipped: { what: string; reason: string }[]
}

/**
 * Removes what crashed runs left behind: temp folders `koinonia-*` whose owning process is gone (after an
 * immediate shutdown of any postmaster still running there) and containers labelled `koinonia-db` whose
 * owner is gone. Leftovers of live runs, in this or another process, are never touched.
 */
export async function sweep(options: SweepOptions = {}): Promise<SweepResult> {
  const result: SweepResult = { folders: [], servers: [], containers: [], databases: [], skipped: [] }
  const dir = options.tmpDir ?? tmpdir()
  const prefix = options.label ? `${TEMP_PREFIX}${options.label}-` : TEMP_PREFIX
  const minAge = options.unownedMinAgeMs ?? 10 * 60_000
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.startsWith(prefix)) continue
    const root = join(dir, name)
    let stat
    try {
      stat = statSync(root)
    } catch {
      continue
    }
    if (!stat.isDirectory()) continue
    const owner = readOwner(root)
    const dataDir = join(root, 'data')
    if (owner && !ownerGone(owner)) {
      result.skipped.push({ what: root, reason: `owned by live process ${owner.pid} on ${owner.host}` })
      continue
    }
    if (!owner) {
      if (!existsSync(dataDir) && !existsSync(join(root, 'postgres.log'))) continue // not a cluster folder
      if (livePostmasterPid(dataDir)) {
        result.skipped.push({ what: root, reason: 'no owner file and a live postmaster uses it' })
        continue
      }
      if (Date.now() - stat.mtimeMs < minAge) {
        result.skipped.push({ what: root, reason: 'no owner file and modified recently' })
        continue
      }
    }
    const pid = livePostmasterPid(dataDir)
    if (pid) {
      await killPostmaster(dataDir)
      result.servers.push(pid)
    } else {
      // A postmaster whose start never got as far as writing postmaster.pid.
      result.servers.push(...await killProcessesOn(dataDir))
    }
    rmSync(root, { recursive: true, force: true })
    result.folders.push(root)
  }
  if (options.docker !== false) await sweepContainers(options.label, result)
  if (options.url) result.databases = await (await import('./providers/url.js')).sweepUrl(options.url)
  return result
}

async function sweepContainers(label: string | undefined, result: SweepResult): Promise<void> {
  const docker = await dockerAvailable()
  if (!docker.ok) {
    result.skipped.push({ what: 'containers', reason: docker.reason })
    return
  }
  const leftovers = []
  for (const c of await listContainers(label ? `${CONTAINER_LABEL}=${label}` : CONTAINER_LABEL)) {
    let owner: Owner | null = null
    try {
      owner = JSON.parse(c.labels[OWNER_LABEL] ?? 'null') as Owner | null
    } catch {
      // unreadable owner label: treat as orphaned
    }
    if (owner && !ownerGone(owner)) result.skipped.push({ what: c.id, reason: `owned by live process ${owner.pid} on ${owner.host}` })
    else leftovers.push(c.id)
  }
  result.containers.push(...(await removeContainers(leftovers)))
}
