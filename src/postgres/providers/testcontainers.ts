import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { EnvironmentError } from '../../errors.js'
import { compatibleClientBindir } from '../binaries.js'
import { registerCleanup } from '../cleanup-registry.js'
import { serverHandle } from '../cluster-handle.js'
import {
  CONTAINER_LABEL, OWNER_LABEL, RUN_LABEL, dockerAvailable, dockerClient, dockerImagePresent, listContainers, removeContainers,
  removeContainersByLabelSync,
} from '../docker.js'
import { execOn } from '../exec-on.js'
import type { PostgresHandle, PostgresProvider, StartOptions } from '../provider.js'

const STARTUP_TIMEOUT_MS = 120_000

/** postgresql.conf values come quoted (`'127.0.0.1'`); on the command line `-c name=value` takes them bare. */
function commandLine(settings: Record<string, string>): string[] {
  return Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v.replace(/^'(.*)'$/s, '$1').replace(/''/g, "'")}`])
}

/**
 * `@testcontainers/postgresql` with `postgres:<major>` (or `image`). Ryuk is disabled (see docker.ts):
 * each container is labelled `koinonia-db=<label>` plus a per-start run id and removed by stop(),
 * by a failed start, by the signal/exit registry, or by sweep() after a crash.
 */
export const testcontainersProvider: PostgresProvider = {
  name: 'testcontainers',
  async available() {
    return dockerAvailable()
  },
  async start(options: StartOptions = {}): Promise<PostgresHandle> {
    const major = options.pgMajor ?? 15
    const image = options.image ?? `postgres:${major}`
    const label = options.label ?? 'testcontainers'
    await dockerClient() // KDB_DOCKER_UNAVAILABLE before anything else
    const run = randomBytes(8).toString('hex')
    const runLabel = `${RUN_LABEL}=${run}`
    const removeOurs = async () => {
      await removeContainers((await listContainers(runLabel)).map((c) => c.id))
    }
    let stopping: Promise<void> | null = null
    const stop = () => (stopping ??= removeOurs().finally(() => unregister()))
    const unregister = registerCleanup({
      description: `container ${image} (${runLabel})`,
      stop,
      killSync: () => removeContainersByLabelSync(runLabel),
    })

    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const password = randomBytes(12).toString('hex')
    options.onProgress?.(`starting container ${image}`)
    let container
    try {
      options.signal?.throwIfAborted()
      container = await new PostgreSqlContainer(image)
        .withUsername('postgres')
        .withPassword(password)
        .withDatabase('postgres')
        .withLabels({ [CONTAINER_LABEL]: label, [RUN_LABEL]: run, [OWNER_LABEL]: JSON.stringify({ pid: process.pid, host: hostname() }) })
        .withCommand(['postgres', ...commandLine({ fsync: 'off', ...options.settings })])
        .withStartupTimeout(options.startTimeoutSeconds ? options.startTimeoutSeconds * 1000 : STARTUP_TIMEOUT_MS)
        .start()
      options.signal?.throwIfAborted()
    } catch (error) {
      await stop().catch(() => undefined)
      if (options.signal?.aborted) throw error
      const present = await dockerImagePresent(image).catch(() => false)
      throw new EnvironmentError(present ? 'KDB_PG_START_FAILED' : 'KDB_DOCKER_IMAGE_UNAVAILABLE',
        present ? `container ${image} did not become ready: ${(error as Error).message}` : `image ${image} is not present and could not be pulled: ${(error as Error).message}`, {
          hint: present ? 'Check `docker logs` of a manual run of the image.' : 'Build it without a registry with .ci/docker-setup.sh, docker pull it, or pass --image.',
          cause: error,
        })
    }

    const host = container.getHost()
    const port = container.getPort()
    const urlFor = (db: string) => {
      const url = new URL(container.getConnectionUri())
      url.pathname = `/${encodeURIComponent(db)}`
      return url.toString()
    }
    const url = urlFor('postgres')
    let version: string
    try {
      version = String((await execOn(url, 'SHOW server_version')).rows[0].server_version).split(' ')[0]
    } catch (error) {
      await stop()
      throw new EnvironmentError('KDB_PG_UNREACHABLE', `container ${image} started but Postgres is unreachable at ${host}:${port}`, {
        hint: 'Check that the image is a Postgres image compatible with the official one.', cause: error,
      })
    }
    return serverHandle({
      provider: 'testcontainers', host, port, password, serverVersion: version,
      clientBindir: compatibleClientBindir(Number.parseInt(version, 10)), urlFor, stop,
    })
  },
}
