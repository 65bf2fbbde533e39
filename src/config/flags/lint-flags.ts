import { REPORT_FORMATS } from '../../linter/report/formats.js'
import type { LintOptions } from '../../linter/types.js'
import { booleanFlag, defineFlags, listFlag, stringFlag } from '../flag-spec.js'
import { pgVersionKey, prismaVersionKey, ruleIdListKey } from '../version-keys.js'
import { booleanKey, stringKey } from '../value-keys.js'
import { configFlag, formatFlag, sinceFlag, stagedFlag } from './common-flags.js'

/** Shared by the commands that take them: one key, one validator. */
export const pgVersionFlag = stringFlag(pgVersionKey, 'target Postgres major version, 11 to 18 (default 15)', { scope: 'top', code: 'KDB_PG_VERSION' })
export const prismaVersionFlag = stringFlag(prismaVersionKey, 'Prisma version for migration.sql files (default: detected from package.json)', { scope: 'top' })

/** `--stdin-filepath PATH`: where the SQL piped to `lint -` would live. */
const stdinFilepathFlag = stringFlag(stringKey('a file path'), 'with - (the SQL on stdin): the path it would have, for the report, Prisma detection, overrides and the earlier migrations of its folder', {
  noConfig: 'it names the input of one run, not a project setting',
  noApi: 'lint(sql, { path, history: true }) takes the path',
})

export const LINT_FLAGS = defineFlags<LintOptions>()('lint', 'lint', {
  'pg-version': pgVersionFlag,
  'prisma-version': prismaVersionFlag,
  prisma: booleanFlag(booleanKey('true or false: treat every file as a Prisma migration.sql'), 'treat every file as a Prisma migration.sql'),
  'start-after': stringFlag(stringKey('a migration name'), 'judge only the migrations of a folder after this one (a Prisma folder\'s timestamp, or a file name); the earlier ones are read for column types'),
  'assume-in-transaction': booleanFlag(booleanKey('true or false: every file runs inside one transaction'), 'every file runs inside one transaction its migration tool opens (Flyway, knex, node-pg-migrate, Rails, Django); Prisma migrations follow Prisma'),
  disable: listFlag(ruleIdListKey, 'turn these rules off'),
  format: formatFlag(REPORT_FORMATS),
  staged: stagedFlag,
  since: sinceFlag,
  'stdin-filepath': stdinFilepathFlag,
  config: configFlag,
})
