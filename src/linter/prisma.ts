import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { PrismaMode } from './types.js'

/** Prisma 7.4 stopped sending a migration.sql as one multi-statement query. */
const PER_STATEMENT_SINCE: [number, number, number] = [7, 4, 0]

/** `prisma/migrations/<timestamp>_<name>/migration.sql`, or any migration.sql next to a migration_lock.toml. */
export function isPrismaMigrationPath(path: string): boolean {
  if (basename(path) !== 'migration.sql') return false
  const migrationsDir = dirname(dirname(path))
  return basename(migrationsDir) === 'migrations' || existsSync(join(migrationsDir, 'migration_lock.toml'))
}

export function parseVersion(version: string): [number, number, number] | null {
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version)
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null
}

export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/**
 * How a Prisma version runs migration.sql. Unknown versions are treated as the older, single-query
 * behaviour: it is what most deployed projects run, and it is the stricter of the two.
 */
export function prismaModeFor(version: string | null): PrismaMode {
  const parsed = version ? parseVersion(version) : null
  if (!parsed) return 'single-query'
  return compareVersions(parsed, PER_STATEMENT_SINCE) >= 0 ? 'per-statement' : 'single-query'
}

const cache = new Map<string, string | null>()

/**
 * The Prisma version of the project that owns `fromPath`: the installed `prisma` package when there
 * is one, else the range in the nearest package.json that depends on prisma or @prisma/client.
 */
export function detectPrismaVersion(fromPath: string): string | null {
  let dir = dirname(fromPath)
  const seen: string[] = []
  for (;;) {
    if (cache.has(dir)) return remember(seen, cache.get(dir) ?? null)
    seen.push(dir)
    const found = versionIn(dir)
    if (found !== undefined) return remember(seen, found)
    const parent = dirname(dir)
    if (parent === dir) return remember(seen, null)
    dir = parent
  }
}

function remember(dirs: string[], version: string | null): string | null {
  for (const d of dirs) cache.set(d, version)
  return version
}

function versionIn(dir: string): string | null | undefined {
  const manifest = join(dir, 'package.json')
  if (!existsSync(manifest)) return undefined
  try {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
    const range = pkg.dependencies?.prisma ?? pkg.devDependencies?.prisma ??
      pkg.dependencies?.['@prisma/client'] ?? pkg.devDependencies?.['@prisma/client']
    if (!range) return undefined
    const installed = join(dir, 'node_modules', 'prisma', 'package.json')
    if (existsSync(installed)) return JSON.parse(readFileSync(installed, 'utf8')).version ?? range
    return String(range).replace(/^[^\d]*/, '') || null
  } catch {
    return undefined
  }
}
