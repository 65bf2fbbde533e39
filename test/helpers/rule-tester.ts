import { describe, expect, it } from 'vitest'
import { lint } from '../../src/linter/lint.js'
import type { Category, LintOptions, LockMode, StatementReport, Verdict } from '../../src/linter/types.js'

export interface ValidCase {
  sql: string
  options?: LintOptions
  name?: string
}

export interface InvalidCase extends ValidCase {
  /** Which statement (0-based) must carry the finding; default: the last one. */
  statement?: number
  category?: Category
  lock?: LockMode | null
  verdict?: Verdict
  rewrite?: boolean
  /** Substrings the message must contain. */
  message?: string[]
  /** Substrings the suggestion must contain. */
  suggestion?: string[]
  /** When false, skip the check that the suggestion re-parses and no longer fires. */
  suggestionFixes?: boolean
}

/** Table-driven tests for one rule: SQL that must pass, SQL that must fire, suggestions that fix. */
export function ruleTester(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    for (const c of cases.valid) {
      it(`passes: ${c.name ?? c.sql}`, async () => {
        const result = await lint(c.sql, c.options)
        const file = result.files[0]
        expect(file.error).toBeNull()
        const hits = file.statements.flatMap((s) => s.findings).filter((f) => f.rule === ruleId)
        expect(hits).toEqual([])
      })
    }
    for (const c of cases.invalid) {
      it(`fires: ${c.name ?? c.sql}`, async () => {
        const result = await lint(c.sql, c.options)
        const file = result.files[0]
        expect(file.error).toBeNull()
        const stmt: StatementReport = file.statements[c.statement ?? file.statements.length - 1]
        const hit = stmt.findings.find((f) => f.rule === ruleId)
        expect(hit, `expected ${ruleId} on: ${stmt.text}`).toBeDefined()
        if (!hit) return
        if (c.category) expect(hit.category).toBe(c.category)
        if (c.lock !== undefined) expect(stmt.lock).toBe(c.lock)
        if (c.verdict) expect(stmt.verdict).toBe(c.verdict)
        if (c.rewrite !== undefined) expect(stmt.rewrite).toBe(c.rewrite)
        for (const part of c.message ?? []) expect(hit.message).toContain(part)
        for (const part of c.suggestion ?? []) expect(hit.suggestion).toContain(part)
        expect(hit.suggestion.length).toBeGreaterThan(0)
        if (c.suggestionFixes !== false) {
          // The suggestion must be SQL that parses and no longer trips this rule.
          const prefix = file.statements.slice(0, c.statement ?? file.statements.length - 1).map((s) => `${s.text};`).join('\n')
          const fixed = await lint(`${prefix}\n${hit.suggestion}`, c.options)
          expect(fixed.files[0].error, `suggestion does not parse: ${hit.suggestion}`).toBeNull()
          const still = fixed.files[0].statements.flatMap((s) => s.findings).filter((f) => f.rule === ruleId)
          expect(still, `suggestion still fires: ${hit.suggestion}`).toEqual([])
        }
      })
    }
  })
}
