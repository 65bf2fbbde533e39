import { execFileSync } from 'node:child_process'
import { EnvironmentError } from '../errors.js'

/** Label on every container we start; its value is the run's label. */
export const CONTAINER_LABEL = 'koinonia-db'
/** Label unique to one start(), so a failed start can remove exactly its own container. */
export const RUN_LABEL = 'koinonia-db.run'
/** `{"pid":..,"host":..}` of the starting process, so sweep() can tell live runs from crashed ones. */
export const OWNER_LABEL = 'koinonia-db.owner'

type Testcontainers = typeof import('testcontainers')
type RuntimeClient = Awaited<ReturnType<Testcontainers['getContainerRuntimeClient']>>

/**
 * Testcontainers normally relies on its Ryuk reaper container for cleanup; it cannot be pulled
 * without a registry, so we disable it (unless the user decided otherwise) and clean up ourselves.
 * Set before testcontainers is loaded and before any container starts.
 */
export async function loadTestcontainers(): Promise<Testcontainers> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  return import('testcontainers')
}

const UNAVAILABLE_HINT = 'Start a Docker engine (e.g. apt-get install docker.io && dockerd &, or .ci/docker-setup.sh), set DOCKER_HOST, or use --provider embedded.'

/** The Docker engine, or EnvironmentError KDB_DOCKER_UNAVAILABLE saying why not. */
export async function dockerClient(timeoutMs = 15_000): Promise<RuntimeClient> {
  const { getContainerRuntimeClient } = await loadTestcontainers()
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs)
      }),
    ])
  } catch (error) {
    throw new EnvironmentError('KDB_DOCKER_UNAVAILABLE', `no Docker engine is reachable: ${(error as Error).message}`, {
      hint: UNAVAILABLE_HINT, cause: error,
    })
  } finally {
    clearTimeout(timer)
  }
}

/** Whether a Docker engine answers, and why not. */
export async function dockerAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const client = await dockerClient()
    await client.container.dockerode.ping()
    return { ok: true }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
}

/** Whether an image is present locally (without a registry, a missing image cannot be pulled). */
export async function dockerImagePresent(image: string): Promise<boolean> {
  const client = await dockerClient()
  try {
    await client.container.dockerode.getImage(image).inspect()
    return true
  } catch {
    return false
  }
}

export interface LabelledContainer {
  id: string
  labels: Record<string, string>
  state: string
}

/** Containers carrying a label (`name` or `name=value`), running or not. */
export async function listContainers(label: string = CONTAINER_LABEL): Promise<LabelledContainer[]> {
  const client = await dockerClient()
  const found = await client.container.dockerode.listContainers({ all: true, filters: { label: [label] } })
  return found.map((c) => ({ id: c.Id, labels: c.Labels ?? {}, state: c.State }))
}

/** Force-removes containers (and their anonymous volumes); returns the ids removed. */
export async function removeContainers(ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const client = await dockerClient()
  const removed: string[] = []
  for (const id of ids) {
    try {
      await client.container.dockerode.getContainer(id).remove({ force: true, v: true })
      removed.push(id)
    } catch (error) {
      // 404: already gone (removed by a concurrent stop), which is what we wanted.
      if ((error as { statusCode?: number }).statusCode === 404) removed.push(id)
      else throw error
    }
  }
  return removed
}

/** Last resort on process exit, where nothing can be awaited: the docker CLI, if installed. */
export function removeContainersByLabelSync(label: string): void {
  try {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${label}`], { encoding: 'utf8', timeout: 10_000 }).split('\n').filter(Boolean)
    if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 30_000 })
  } catch {
    // No docker CLI or engine gone: sweep() removes labelled leftovers on the next run.
  }
}
