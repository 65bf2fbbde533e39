import { execFile, execFileSync } from 'node:child_process'
import { statfsSync } from 'node:fs'
import { promisify } from 'node:util'
import { postgresOsUser } from '../postgres/os-user.js'

const run = promisify(execFile)

/** Hands a whole tree to the postgres OS user (no-op when not root): restored files must be owned by the server. */
export function chownTree(path: string): void {
  const user = postgresOsUser()
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, path])
}

/** Bytes as whole megabytes (MiB), for messages. */
export const mb = (bytes: number): number => Math.round(bytes / 1048576)

/** Bytes used by a folder (du, off the event loop), following no symlinks. */
export async function folderBytes(path: string): Promise<number> {
  const { stdout } = await run('du', ['-sb', path], { encoding: 'utf8' })
  return Number(stdout.split(/\s/)[0])
}

/** Free bytes on the filesystem holding `path`. */
export function freeBytes(path: string): number {
  const s = statfsSync(path)
  return Number(s.bavail) * Number(s.bsize)
}
