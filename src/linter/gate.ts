import type { LintResult } from './types.js'

/**
 * Whether a lint result fails the gate: a risky statement, a file that could not be linted, or a
 * file-level error notice (an edited applied migration, an ignore that names no rule...).
 */
export function failsGate(result: LintResult): boolean {
  const { risky, errors } = result.summary
  return risky > 0 || errors > 0 || result.files.some((f) => f.notices.some((n) => n.severity === 'error'))
}
