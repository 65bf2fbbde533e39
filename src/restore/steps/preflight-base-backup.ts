import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { InputError } from '../../errors.js'
import { TEMP_PREFIX } from '../../postgres/local-cluster.js'
import { asPostgres, chownToPostgres } from '../../postgres/os-user.js'
import { parseBackupLabel, readBackupLabel, type BackupLabel } from '../backup-label.js'
import { folderBytes, freeBytes, mb } from '../fs-utils.js'
import { verifyBackupFiles } from '../verify-backup-files.js'
import { checkContinuity, listWalArchive } from '../wal-archive.js'
import { targetInArchive } from './target-in-archive.js'
import { DEFAULT_SEGMENT_BYTES, parseLsn, segmentForLsn } from '../wal-segments.js'
import type { DrillCheck, RecoveryTarget } from '../types.js'

const run = promisify(execFile)

export interface PreflightFacts {
  checks: DrillCheck[]
  label?: BackupLabel
  backupBytes: number
  lastCommitTime?: string
}

export function tarFile(backupDir: string): string | undefined {
  return ['base.tar', 'base.tar.gz'].map((f) => join(backupDir, f)).find(existsSync)
}

function labelOf(backupDir: string): BackupLabel | undefined {
  const tar = tarFile(backupDir)
  if (!tar) return readBackupLabel(backupDir)
  try {
    const text = execFileSync('tar', ['-xOf', tar, 'backup_label'], { encoding: 'utf8', maxBuffer: 1024 * 1024 })
    return parseBackupLabel(text, `${tar}:backup_label`)
  } catch {
    return undefined
  }
}

/** restore_command as Postgres will run it (sh -c, as the server user), for the first segment recovery needs. */
export async function tryRestoreCommand(command: string, segment: string): Promise<DrillCheck> {
  const dir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}restore-command-`))
  chownToPostgres(dir)
  const dest = join(dir, 'RECOVERYXLOG')
  const shell = command.replaceAll('%f', segment).replaceAll('%p', dest).replaceAll('%r', segment).replaceAll('%%', '%')
  try {
    await run('/bin/sh', ['-c', shell], { ...asPostgres(), timeout: 120_000 })
    if (!existsSync(dest)) return { name: 'restore_command', ok: false, detail: `restore_command exited 0 but did not write ${segment}: ${shell}` }
    return { name: 'restore_command', ok: true, detail: `fetched ${segment}` }
  } catch (error) {
    const e = error as { code?: number; stderr?: string }
    return { name: 'restore_command', ok: false, detail: `restore_command could not fetch ${segment} (exit ${e.code ?? '?'}): ${(e.stderr ?? '').trim() || shell}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Everything that can be known to fail before restoring: label, manifest, a hole in the archive, a target
 * outside the archive, missing timeline history, a broken restore_command, too little disk.
 */
export async function preflightBaseBackup(input: {
  backupDir: string
  archiveDir: string
  restoreCommand: string
  target: RecoveryTarget
  workDir: string
  tools: { pgVerifybackup: string; pgWaldump: string }
}): Promise<PreflightFacts> {
  const { backupDir, archiveDir, target } = input
  if (!existsSync(backupDir))
    throw new InputError('KDB_DRILL_NO_BACKUP', `backup folder ${backupDir} does not exist`, { hint: 'Pass the folder pg_basebackup wrote (-D).' })
  if (!existsSync(archiveDir))
    throw new InputError('KDB_DRILL_NO_ARCHIVE', `WAL archive folder ${archiveDir} does not exist`, { hint: 'Pass the folder archive_command copies into.' })
  const checks: DrillCheck[] = []
  const label = labelOf(backupDir)
  checks.push(label
    ? { name: 'backup label', ok: true, detail: `starts at ${label.startLsn} (${label.startSegment}), timeline ${label.timeline}${label.startTime ? `, ${label.startTime}` : ''}` }
    : { name: 'backup label', ok: false, detail: `no backup_label in ${backupDir}: not a base backup (a copy of a stopped or running data directory is not restorable to a point in time)` })
  checks.push(await verifyBackupFiles(backupDir, input.tools.pgVerifybackup))
  const backupBytes = await folderBytes(backupDir)
  const facts: PreflightFacts = { checks, label, backupBytes }
  if (!label) return facts

  const archive = listWalArchive(archiveDir)
  const end = target.type === 'lsn' ? segmentForLsn(parseLsn(target.value), label.timeline) : undefined
  const cont = checkContinuity(archive.segments, label.startSegment, end)
  checks.push(cont.ok
    ? { name: 'WAL archive continuity', ok: true, detail: `${cont.count} segments from ${label.startSegment} to ${cont.last}, no gap` }
    : { name: 'WAL archive continuity', ok: false, detail: cont.count === 0
        ? `the backup's first WAL segment ${cont.missing} is not in ${archiveDir}`
        : `segment ${cont.missing} is missing from ${archiveDir} (continuous only up to ${cont.last}); recovery past it is impossible` })

  const timelines = [...new Set(archive.segments.map((s) => parseInt(s.slice(0, 8), 16)))].filter((t) => t > 1)
  const needHistory = [...new Set([label.timeline, ...timelines])].filter((t) => t > 1)
  const missingHistory = needHistory.filter((t) => !archive.histories.includes(`${t.toString(16).toUpperCase().padStart(8, '0')}.history`))
  checks.push({ name: 'timeline history', ok: missingHistory.length === 0, detail: missingHistory.length
    ? `history file for timeline ${missingHistory.join(', ')} missing from the archive`
    : needHistory.length ? `history files present for timeline ${needHistory.join(', ')}` : 'timeline 1 only, no history needed' })

  if (cont.last) checks.push(await targetInArchive(target, label, cont.last, archive.segments, { dir: archiveDir, files: archive.files }, input.tools.pgWaldump, facts))
  checks.push(await tryRestoreCommand(input.restoreCommand, label.startSegment))

  const need = backupBytes + 4 * DEFAULT_SEGMENT_BYTES
  const free = freeBytes(input.workDir)
  checks.push({ name: 'disk space', ok: free >= need, detail: `${mb(free)} MB free in ${input.workDir}, restore needs about ${mb(need)} MB` })
  return facts
}
