import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { quoteLiteral } from '../../postgres/sql.js'
import type { BackupSource } from '../types.js'
import { listWalArchive } from '../wal-archive.js'
import type { DrillSource } from './drill-source.js'
import { fetchBaseBackup } from './fetch-base-backup.js'
import { preflightBaseBackup } from './preflight-base-backup.js'
import { defaultRestoreCommand, targetSettings } from './recovery-settings.js'

/** A base backup folder (pg_basebackup or low-level API) plus a WAL archive folder. */
export function baseBackupSource(source: Extract<BackupSource, { kind: 'base-backup' }>, tools: { pgVerifybackup: string; pgWaldump: string }): DrillSource {
  const backupDir = resolve(source.backupDir)
  const archiveDir = resolve(source.archiveDir)
  const restoreCommand = source.restoreCommand ?? defaultRestoreCommand(archiveDir, existsSync(archiveDir) ? listWalArchive(archiveDir).compressions : [])
  return {
    location: backupDir,
    preflight: (target, workDir) => preflightBaseBackup({ backupDir, archiveDir, restoreCommand, target, workDir, tools }),
    fetch: (cluster, _target, signal) => fetchBaseBackup(cluster, backupDir, signal),
    recoverySettings: (target) => ({ settings: { restore_command: quoteLiteral(restoreCommand), ...targetSettings(target) }, preserve: [] }),
  }
}
