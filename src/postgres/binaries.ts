import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** A folder holding Postgres server binaries (initdb, pg_ctl, postgres) and the major version they are. */
export interface Bindir {
  dir: string
  major: number
  /** Where the binaries came from, for messages. */
  source: 'pg_config' | 'debian' | 'rpm' | 'embedded' | 'path'
}

function majorOf(dir: string): number | null {
  try {
    const out = execFileSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' })
    const m = /(\d+)(?:\.\d+)?/.exec(out)
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

let cached: Bindir[] | null = null

/**
 * Server binaries installed on the machine: `pg_config --bindir`, Debian/Ubuntu's /usr/lib/postgresql/<major>/bin,
 * PGDG RPM's /usr/pgsql-<major>/bin, then folders on PATH holding both postgres and initdb. Newest major first.
 * Probed once per process (each probe runs `postgres --version`).
 */
export function systemBindirs(): Bindir[] {
  if (cached) return cached
  const found: Bindir[] = []
  const add = (dir: string, source: Bindir['source']) => {
    if (found.some((b) => b.dir === dir) || !existsSync(join(dir, 'postgres')) || !existsSync(join(dir, 'initdb'))) return
    const major = majorOf(dir)
    if (major) found.push({ dir, major, source })
  }
  try {
    add(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(), 'pg_config')
  } catch {
    // no pg_config on PATH
  }
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) for (const v of readdirSync(debian)) add(join(debian, v, 'bin'), 'debian')
  for (const entry of existsSync('/usr') ? readdirSync('/usr') : []) if (/^pgsql-\d+$/.test(entry)) add(join('/usr', entry, 'bin'), 'rpm')
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) add(dir, 'path')
  cached = found.sort((a, b) => b.major - a.major)
  return cached
}

/** The system bindir for a major version, or undefined. */
export function systemBindir(major: number): Bindir | undefined {
  return systemBindirs().find((b) => b.major === major)
}

/** A client tool (pg_dump, pg_restore, psql, pg_basebackup) from the preferred folder, else any system folder, else PATH. */
export function clientTool(name: string, preferred?: string | null, minMajor?: number): string {
  if (preferred && existsSync(join(preferred, name))) return join(preferred, name)
  for (const b of systemBindirs()) if ((!minMajor || b.major >= minMajor) && existsSync(join(b.dir, name))) return join(b.dir, name)
  return name
}

/**
 * Client tools for a server we did not install (embedded ships none, a container's are inside it):
 * pg_dump refuses servers newer than itself, so the closest system folder of at least that major.
 */
export function compatibleClientBindir(serverMajor: number): string | null {
  const fits = systemBindirs().filter((b) => b.major >= serverMajor && existsSync(join(b.dir, 'pg_dump')))
  return fits.sort((a, b) => a.major - b.major)[0]?.dir ?? null
}
