import type { PlanSanitizeOptions } from '../../sanitize/plan.js'
import type { RefreshStagingOptions } from '../../sanitize/refresh-staging.js'
import { REPORT_FORMATS } from '../../sanitize/report.js'
import type { RunSanitizeOptions } from '../../sanitize/run.js'
import type { ScanForLeaksOptions } from '../../sanitize/scan.js'
import type { SuggestRulesOptions } from '../../sanitize/suggest.js'
import { booleanFlag, defineFlags, numberFlag, stringFlag } from '../flag-spec.js'
import { booleanKey, integerKey, oneOfKey, POSTGRES_URL, stringKey } from '../value-keys.js'
import { configFlag, formatFlag } from './common-flags.js'


/** The options of every `sanitize` action: suggest, check, scan and run. */
export type SanitizeCommandOptions = SuggestRulesOptions & PlanSanitizeOptions & ScanForLeaksOptions & RunSanitizeOptions

const url = (what: string) => stringKey(`a postgres:// URL of ${what}`, POSTGRES_URL)

// refresh-staging is dump + restore + sanitize: it shares these keys, so one config serves both.
export const targetFlag = stringFlag(url('the restored copy (never production)'), 'the database masked in place: a restored copy, never production')
export const rulesFlag = stringFlag(stringKey('the sanitize rules file, relative to the config file'), 'the sanitize rules file (YAML or JSON)', { path: true })
export const prismaFlag = stringFlag(stringKey('a schema.prisma, relative to the config file'), 'a schema.prisma whose `/// @sanitize` comments add rules', { path: true })
export const sanitizeJobsFlag = numberFlag(integerKey('tables masked in parallel, a whole number ≥ 1', 1), 'groups of tables masked at the same time (default 2)')
export const keyEnvFlag = stringFlag(stringKey('the name of an environment variable, e.g. KOINONIA_SANITIZE_KEY', /^[A-Za-z_][A-Za-z0-9_]*$/),
  'the environment variable holding the masking key (default KOINONIA_SANITIZE_KEY)')
export const sanitizeFormatFlag = formatFlag(REPORT_FORMATS)

export const SANITIZE_FLAGS = defineFlags<SanitizeCommandOptions>()('sanitize', 'sanitize', {
  target: targetFlag,
  rules: rulesFlag,
  prisma: prismaFlag,
  jobs: sanitizeJobsFlag,
  'key-env': keyEnvFlag,
  'sample-rows': numberFlag(integerKey('rows sampled per column by suggest, a whole number ≥ 1', 1), 'rows sampled per column by `suggest` (default 200)'),
  'unique-check': stringFlag(oneOfKey(['before', 'rebuild'] as const), 'when unique indexes are checked for collisions: before masking, or by the index rebuild (the API\'s default)'),
  'no-scan': booleanFlag(booleanKey('true or false: skip the leak scan after masking'), 'skip the leak scan after masking'),
  format: sanitizeFormatFlag,
  config: configFlag,
})

export const REFRESH_STAGING_FLAGS = defineFlags<RefreshStagingOptions>()('refresh-staging', 'sanitize', {
  source: stringFlag(url('production or a replica (only read)'), 'production or a replica: only read, by pg_dump in a read-only session'),
  target: targetFlag,
  rules: rulesFlag,
  prisma: prismaFlag,
  jobs: sanitizeJobsFlag,
  'key-env': keyEnvFlag,
  'i-know-this-is-staging': booleanFlag(booleanKey('true or false'), 'accept a target without the staging marker (first refresh); the marker is then written', {
    noConfig: 'a guard rail: committed to a file it would waive the staging check for every target, forever',
  }),
  format: sanitizeFormatFlag,
  config: configFlag,
})
