import type { DrillOptions } from '../../restore/types.js'
import { booleanFlag, defineFlags, listFlag, numberFlag, stringFlag } from '../flag-spec.js'
import { booleanKey, integerKey, oneOfKey, secondsKey, stringKey, stringListKey } from '../value-keys.js'
import { configFlag, formatFlag, outputFlag } from './common-flags.js'

const sqlList = stringListKey('a list of SQL queries')
const yes = (what: string) => booleanKey(`true or false: ${what}`)

export const DRILL_FLAGS = defineFlags<DrillOptions>()('drill', 'drill', {
  'backup-dir': stringFlag(stringKey('a base backup folder'), 'base backup folder (pg_basebackup -Fp, or holding base.tar(.gz))', { path: true }),
  'archive-dir': stringFlag(stringKey('a WAL archive folder'), 'WAL archive folder filled by archive_command', { path: true }),
  'restore-command': stringFlag(stringKey('a restore_command'), 'overrides the default cp "<archive-dir>/%f" "%p"'),
  stanza: stringFlag(stringKey('a pgBackRest stanza name'), 'restore from this pgBackRest stanza'),
  'pgbackrest-config': stringFlag(stringKey('a pgbackrest.conf path'), 'pgbackrest.conf of the repository', { path: true }),
  set: stringFlag(stringKey('a pgBackRest backup set label'), 'pgBackRest backup set (default: the latest)'),
  'barman-server': stringFlag(stringKey('a Barman server name'), 'restore from this Barman server\'s catalogue'),
  'barman-config': stringFlag(stringKey('a barman.conf path'), 'barman.conf of the catalogue (default: Barman\'s own lookup)', { path: true }),
  'backup-id': stringFlag(stringKey('a Barman backup id'), 'Barman backup id (default: the latest, or the newest before a time target)'),
  'target-time': stringFlag(stringKey('an ISO 8601 timestamp with a zone'), 'recover to this time'),
  'target-lsn': stringFlag(stringKey('an LSN such as 0/3000148'), 'recover to this LSN'),
  'target-xid': stringFlag(stringKey('a transaction id'), 'recover to this transaction id'),
  'target-name': stringFlag(stringKey('a restore point name'), 'recover to this named restore point'),
  'target-immediate': booleanFlag(yes('stop as soon as the backup is consistent'), 'stop as soon as the backup is consistent'),
  'target-latest': booleanFlag(yes('replay the whole archive'), 'replay the whole archive'),
  'target-exclusive': booleanFlag(yes('stop just before the target'), 'stop just before the time/LSN/xid target, not after it'),
  scenario: stringFlag(oneOfKey(['accidental-deletion', 'corruption', 'full-loss'] as const), 'the runbook scenario'),
  'pg-major': numberFlag(integerKey('a Postgres major version, e.g. 15', 9), 'Postgres major of the backup (default 15)'),
  bindir: stringFlag(stringKey('a folder of Postgres server binaries'), 'Postgres server binaries to restore with', { path: true }),
  'marker-present': listFlag(sqlList, 'a query whose rows must exist at the target'),
  'marker-absent': listFlag(sqlList, 'a query whose rows must not exist at the target'),
  assert: listFlag(sqlList, 'a query whose first column must be true'),
  reference: stringFlag(stringKey('a table reference JSON file'), 'table reference from --capture-reference, compared after the restore', { path: true }),
  database: stringFlag(stringKey('a database name'), 'database for checks without their own (default postgres)'),
  'no-amcheck': booleanFlag(yes('skip amcheck'), 'skip amcheck after promotion'),
  'failure-time': stringFlag(stringKey('an ISO 8601 timestamp'), 'when the failure happened, for the realized RPO'),
  'rto-target': numberFlag(secondsKey('the RTO target in seconds, e.g. 1800'), 'RTO target in seconds (default 1800)', { aliases: ['rtoSeconds'] }),
  'rpo-target': numberFlag(secondsKey('the RPO target in seconds, e.g. 300', true), 'RPO target in seconds (default 300)', { aliases: ['rpoSeconds'] }),
  'work-dir': stringFlag(stringKey('a folder'), 'where the restored cluster lives (default: a fresh temp folder)', { path: true }),
  port: numberFlag(integerKey('a TCP port', 1), 'port of the restored cluster'),
  keep: booleanFlag(yes('keep the promoted cluster running'), 'keep the promoted cluster running (a physical snapshot)'),
  history: stringFlag(stringKey('the drill history file (JSON lines)'), 'append the result to this history file and show the trend', { path: true }),
  timeout: numberFlag(secondsKey('seconds, e.g. 3600'), 'give up after this many seconds (default 3600)'),
  format: formatFlag(['pretty', 'json', 'markdown'] as const),
  output: outputFlag,
  'capture-reference': stringFlag(stringKey('a postgres:// URL'), 'print the table reference of a live database (run it at the target moment)', {
    noConfig: 'another action, on a live database at one moment, not a drill setting',
    noApi: 'captureReference({ url }) does it',
  }),
  config: configFlag,
})
