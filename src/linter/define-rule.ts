import type { AstNode, Category, Severity } from './types.js'
import type { RuleContext } from './context.js'

/** What a rule returns for one problem; the engine adds the rule's id, category and severity. */
export interface RuleHit {
  message: string
  /** The safe alternative: concrete SQL, or the expand/contract sequence of deploys. */
  suggestion: string
  /** Overrides the rule's default severity for this hit. */
  severity?: Severity
}

export interface RuleDocs {
  summary: string
  /** Why it hurts: the lock, the rewrite, the failure mode. */
  why: string
  safeAlternative: string
  /** SQL that fires / does not fire, rendered into docs/rules/<id>.md. */
  bad?: string
  good?: string
  /** How the examples are linted, when the rule needs a context (a Prisma version, a Postgres version). */
  exampleOptions?: { pgVersion?: number; prisma?: boolean; prismaVersion?: string }
}

export interface Rule {
  id: string
  category: Category
  severity: Severity
  docs: RuleDocs
  /** Postgres major versions where the rule applies (inclusive). */
  pg?: { min?: number; max?: number }
  /** Pure: no I/O, no config reads, no throw. */
  check(stmt: AstNode, ctx: RuleContext): RuleHit | RuleHit[] | undefined | null | false
}

/** A rule id's shape: kebab-case. */
export const RULE_ID = /^[a-z][a-z0-9-]*$/

export function defineRule(rule: Rule): Rule {
  if (!RULE_ID.test(rule.id)) throw new Error(`rule id must be kebab-case: ${rule.id}`)
  return Object.freeze(rule)
}

export function appliesTo(rule: Rule, pgVersion: number): boolean {
  return (rule.pg?.min ?? 0) <= pgVersion && pgVersion <= (rule.pg?.max ?? Infinity)
}
