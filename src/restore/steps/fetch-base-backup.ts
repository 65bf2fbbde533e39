import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { promisify } from 'node:util'
import { EnvironmentError } from '../../errors.js'
import type { RecoveryCluster } from '../recovery-cluster.js'
import { tarFile } from './preflight-base-backup.js'

const run = promisify(execFile)

/** Copies (plain) or unpacks (tar) the base backup into the drill's own data directory. */
export async function fetchBaseBackup(cluster: RecoveryCluster, backupDir: string, signal?: AbortSignal): Promise<void> {
  mkdirSync(cluster.dataDir, { mode: 0o700 })
  const tar = tarFile(backupDir)
  const [cmd, args] = tar ? ['tar', ['-xf', tar, '-C', cluster.dataDir]] : ['cp', ['-a', `${backupDir}/.`, cluster.dataDir]]
  try {
    await run(cmd, args as string[], { signal, maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    signal?.throwIfAborted()
    const e = error as { stderr?: string; message: string }
    throw new EnvironmentError('KDB_DRILL_COPY_FAILED', `copying the base backup failed: ${(e.stderr || e.message).trim()}`, {
      hint: `Check that ${cluster.root} has room and ${backupDir} is readable.`, cause: error,
    })
  }
  cluster.adoptDataDir()
}
