import type { Rule } from '../define-rule.js'
import { requireConcurrentIndex } from './require-concurrent-index.js'

/** Every rule, sorted by id. Add a rule: one file in this folder, one line here. */
export const RULES: readonly Rule[] = [
  requireConcurrentIndex,
].sort((a, b) => a.id.localeCompare(b.id))
