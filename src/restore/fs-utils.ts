import { execFileSync } from 'node:child_process'
import { statfsSync } from 'node:fs'
import { postgresOsUser } from '../postgres/os-user.js'

/** Hands a whole tree to the postgres OS user (no-op when not root): restored files must be owned by the server. */
export function chownTree(path: string): void {
  const user = postgresOsUser()
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, path])
}

/** Bytes as whole megabytes (MiB), for messages. */
export const mb = (bytes: number): number => Math.round(bytes / 1048576)

/** Bytes used by a folder (du), following no symlinks. */
export function folderBytes(path: string): number {
  const out = execFileSync('du', ['-sb', path], { encoding: 'utf8' })
  return Number(out.split(/\s/)[0])
}

/** Free bytes on the filesystem holding `path`. */
export function freeBytes(path: string): number {
  const s = statfsSync(path)
  return Number(s.bavail) * Number(s.bsize)
}
