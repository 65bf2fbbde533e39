import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../errors.js'
import { parseLsn } from './wal-segments.js'

/** What backup_label says about where recovery must start. */
export interface BackupLabel {
  startLsn: string
  startSegment: string
  checkpointLsn?: string
  method?: string
  startTime?: string
  label?: string
  timeline: number
}

/** Parses the backup_label Postgres writes at pg_backup_start (see do_pg_backup_stop in xlog.c). */
export function parseBackupLabel(text: string, file = 'backup_label'): BackupLabel {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(text)?.[1]?.trim()
  const start = /^START WAL LOCATION: ([0-9A-F]+\/[0-9A-F]+) \(file ([0-9A-F]{24})\)$/m.exec(text)
  if (!start)
    throw new InputError('KDB_DRILL_BAD_LABEL', 'backup_label has no START WAL LOCATION line', {
      file, hint: 'The base backup is incomplete or not a Postgres base backup; take a new one.',
    })
  parseLsn(start[1])
  return {
    startLsn: start[1],
    startSegment: start[2],
    checkpointLsn: field('CHECKPOINT LOCATION'),
    method: field('BACKUP METHOD'),
    startTime: field('START TIME'),
    label: field('LABEL'),
    timeline: Number(field('START TIMELINE') ?? parseInt(start[2].slice(0, 8), 16)),
  }
}

export function readBackupLabel(dataDir: string): BackupLabel | undefined {
  const file = join(dataDir, 'backup_label')
  return existsSync(file) ? parseBackupLabel(readFileSync(file, 'utf8'), file) : undefined
}
