import { EnvironmentError } from '../../errors.js'
import { systemBindir, systemBindirs } from '../binaries.js'
import type { PostgresHandle, PostgresProvider, StartOptions } from '../provider.js'
import { startLocal } from '../start-local.js'

/** Postgres server binaries already installed on the machine (`pg_config --bindir`, /usr/lib/postgresql/<major>/bin). */
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
    if (!bindir) {
      const have = systemBindirs().map((b) => `${b.major} (${b.dir})`).join(', ') || 'none'
      throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `Postgres ${major} server binaries are not installed (found: ${have})`, {
        hint: `Install postgresql-${major} (Debian/Ubuntu) or use --provider embedded.`,
      })
    }
    return startLocal('system', { bindir: bindir.dir, clientBindir: bindir.dir, description: `Postgres ${major} from ${bindir.dir}` }, options)
  },
}
