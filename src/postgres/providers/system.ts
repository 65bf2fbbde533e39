import { EnvironmentError } from '../../errors.js'
import { systemBindir, systemBindirs } from '../binaries.js'
import { LocalCluster } from '../local-cluster.js'
import { clusterHandle } from '../cluster-handle.js'
import type { PostgresHandle, PostgresProvider, StartOptions } from '../provider.js'

/** Postgres server binaries already installed on the machine. */
export const systemProvider: PostgresProvider = {
  name: 'system',
  async available(options: StartOptions = {}) {
    const major = options.pgMajor ?? 15
    if (systemBindir(major)) return { ok: true }
    const have = systemBindirs().map((b) => b.major).join(', ') || 'none'
    return { ok: false, reason: `no Postgres ${major} server binaries on this machine (found: ${have})` }
  },
  async start(options: StartOptions = {}): Promise<PostgresHandle> {
    const major = options.pgMajor ?? 15
    const bindir = systemBindir(major)
    if (!bindir)
      throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `Postgres ${major} server binaries are not installed`, {
        hint: `Install postgresql-${major} or use --provider embedded.`,
      })
    options.onProgress?.(`initdb (Postgres ${major} from ${bindir.dir})`)
    const cluster = await LocalCluster.create({ bindir: bindir.dir, label: options.label ?? 'system', settings: options.settings })
    try {
      options.onProgress?.('starting Postgres')
      await cluster.start()
      return await clusterHandle('system', cluster, bindir.dir)
    } catch (error) {
      await cluster.destroy()
      throw error
    }
  },
}

