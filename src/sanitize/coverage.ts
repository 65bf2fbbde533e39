import { planSanitize, type PlanProblem, type PlanSanitizeOptions } from './plan.js'
import type { StaleRule, Unclassified } from './types.js'

export interface CoverageResult {
  /** No unclassified column, no rule naming a missing table or column, no invalid rule. */
  ok: boolean
  unclassified: Unclassified[]
  stale: StaleRule[]
  problems: PlanProblem[]
}

/**
 * The CI guard: every column of the database is masked or kept, and every rule names a column that
 * still exists. A new column added by a migration fails here before it can leak into staging.
 * @example
 * const { ok, unclassified } = await checkCoverage({ target: shadowDbUrl, rules: 'sanitize.yaml' })
 */
export async function checkCoverage(options: PlanSanitizeOptions): Promise<CoverageResult> {
  const plan = await planSanitize(options)
  return {
    ok: !plan.unclassified.length && !plan.stale.length && !plan.problems.length,
    unclassified: plan.unclassified,
    stale: plan.stale,
    problems: plan.problems,
  }
}
