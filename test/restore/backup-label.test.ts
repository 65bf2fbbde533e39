import { describe, expect, it } from 'vitest'
import { parseBackupLabel } from '../../src/restore/backup-label.js'

// As written by Postgres 15's pg_backup_stop (xlog.c, build_backup_content).
const LABEL = `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)
CHECKPOINT LOCATION: 0/2000060
BACKUP METHOD: streamed
BACKUP FROM: primary
START TIME: 2026-11-25 22:31:40 UTC
LABEL: koinonia-db base backup
START TIMELINE: 1
`

describe('parseBackupLabel', () => {
  it('reads where recovery starts', () => {
    expect(parseBackupLabel(LABEL)).toEqual({
      startLsn: '0/2000028', startSegment: '000000010000000000000002', checkpointLsn: '0/2000060', method: 'streamed',
      startTime: '2026-11-25 22:31:40 UTC', label: 'koinonia-db base backup', timeline: 1,
    })
  })

  it('rejects a file that is not a backup label, naming it', () => {
    expect(() => parseBackupLabel('hello', '/srv/base/backup_label')).toThrow(expect.objectContaining({ code: 'KDB_DRILL_BAD_LABEL', file: '/srv/base/backup_label' }))
  })
})
