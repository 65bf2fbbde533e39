import type { VerifyOptions } from '../../snapshot/types.js'
import { booleanFlag, defineFlags, numberFlag, stringFlag } from '../flag-spec.js'
import {
  imageKey, jobsKey, loadKey, maxRewriteRowsKey, migrationsDirKey, providerKey, rowsKey, seedKey, slowMsKey, snapshotKey, urlKey,
} from '../project-keys.js'
import { booleanKey, stringKey } from '../value-keys.js'
import { configFlag, formatFlag, outputFlag, sinceFlag } from './common-flags.js'
import { pgVersionFlag, prismaVersionFlag } from './lint-flags.js'

export const VERIFY_FORMATS = ['pretty', 'json', 'markdown', 'junit'] as const

/** `--url`: a server where scratch databases are created; `sweep --url` cleans the same server. */
export const urlFlag = stringFlag(urlKey, 'a server for the url provider (scratch databases are created and dropped there)', { scope: 'top' })

// The tuning keys were top-level before sections existed; they stay there (backwards compatible).
export const VERIFY_FLAGS = defineFlags<VerifyOptions>()('verify', 'verify', {
  snapshot: stringFlag(snapshotKey, 'a pg_dump file or folder, or a postgres:// URL dumped read-only (default: synthetic data)', { scope: 'top', path: true }),
  rows: numberFlag(rowsKey, 'synthetic snapshot: rows per table (default 1000)', { scope: 'top' }),
  seed: numberFlag(seedKey, 'synthetic snapshot: PRNG seed (default 1)', { scope: 'top' }),
  applied: stringFlag(stringKey('a count of migrations, or the name of the last applied one'), 'how many migrations count as applied in production (a count or the last one\'s name)'),
  provider: stringFlag(providerKey, 'where the throwaway Postgres runs (default embedded, else system)', { scope: 'top' }),
  'pg-version': pgVersionFlag,
  image: stringFlag(imageKey, 'Docker image for the testcontainers provider', { scope: 'top' }),
  url: urlFlag,
  'migrations-dir': stringFlag(migrationsDirKey, 'the migrations folder (default: discovered)', { scope: 'top', path: true }),
  'prisma-version': prismaVersionFlag,
  load: booleanFlag(loadKey, 'run a canary reader and writer during the replay', { scope: 'top' }),
  'max-rewrite-rows': numberFlag(maxRewriteRowsKey, 'an undeclared rewrite of a table this large fails the gate (default 10000)', { scope: 'top' }),
  'slow-ms': numberFlag(slowMsKey, 'a write-blocking lock held this long on a non-empty table is risky (default 1000)', { scope: 'top' }),
  'no-rollback': booleanFlag(booleanKey('true or false: skip the rollback proof'), 'skip the rollback proof'),
  jobs: numberFlag(jobsKey, 'parallel pg_restore jobs (default: the number of cores)', { scope: 'top' }),
  format: formatFlag(VERIFY_FORMATS),
  output: outputFlag,
  since: sinceFlag,
  config: configFlag,
})
