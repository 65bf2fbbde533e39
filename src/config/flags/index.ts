import type { FlagTable } from '../flag-spec.js'
import { DRILL_FLAGS } from './drill-flags.js'
import { INIT_FLAGS } from './init-flags.js'
import { LINT_FLAGS } from './lint-flags.js'
import { RULES_FLAGS } from './rules-flags.js'
import { REFRESH_STAGING_FLAGS, SANITIZE_FLAGS } from './sanitize-flags.js'
import { SWEEP_FLAGS } from './sweep-flags.js'
import { VERIFY_FLAGS } from './verify-flags.js'

/** Every command's flag table, by command name: the source of its parseArgs options, its config keys and docs/config.md. */
export const FLAG_TABLES: Record<string, FlagTable> = {
  drill: DRILL_FLAGS,
  init: INIT_FLAGS,
  lint: LINT_FLAGS,
  'refresh-staging': REFRESH_STAGING_FLAGS,
  rules: RULES_FLAGS,
  sanitize: SANITIZE_FLAGS,
  sweep: SWEEP_FLAGS,
  verify: VERIFY_FLAGS,
}

export { DRILL_FLAGS, INIT_FLAGS, LINT_FLAGS, REFRESH_STAGING_FLAGS, RULES_FLAGS, SANITIZE_FLAGS, SWEEP_FLAGS, VERIFY_FLAGS }
