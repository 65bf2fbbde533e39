import { defineFlags } from '../flag-spec.js'
import { formatFlag } from './common-flags.js'
import { pgVersionFlag } from './lint-flags.js'

const LISTING = 'the command lists the RULES export; filter it with appliesTo(rule, pgVersion)'

/** `rules` has no options object in the API: it is the RULES list. */
export const RULES_FLAGS = defineFlags<Record<never, never>>()('rules', 'rules', {
  format: { ...formatFlag(['pretty', 'json'] as const), noConfig: 'the top-level key `rules` already holds the rule severities' },
  'pg-version': { ...pgVersionFlag, noApi: LISTING },
})
