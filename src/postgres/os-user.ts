import { execFileSync } from 'node:child_process'
import { chownSync } from 'node:fs'

export interface OsUser {
  uid: number
  gid: number
  name: string
}

/**
 * Postgres refuses to run as root. When we are root, servers run as the `postgres` OS user
 * (created when missing) and every data directory must be owned by it.
 * Returns null when we are not root: servers then run as ourselves.
 */
export function postgresOsUser(): OsUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
      return { uid, gid, name: 'postgres' }
    } catch {
      return null
    }
  }
  const found = lookup()
  if (found) return found
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/bin/sh', 'postgres'])
  const created = lookup()
  if (!created) throw new Error('could not create the postgres OS user')
  return created
}

/** Spawn options that run a child as the postgres OS user when we are root. */
export function asPostgres(): { uid?: number; gid?: number } {
  const user = postgresOsUser()
  return user ? { uid: user.uid, gid: user.gid } : {}
}

/** Hands a directory we created to the postgres OS user (no-op when not root). */
export function chownToPostgres(path: string): void {
  const user = postgresOsUser()
  if (user) chownSync(path, user.uid, user.gid)
}
