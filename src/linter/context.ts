import { displayName } from './ast.js'
import type { StatementEffects } from './effects.js'
import type { MigrationFacts } from './migration-facts.js'
import type { ParsedStatement } from './parse.js'
import type { AstNode, PrismaMode } from './types.js'

/** Everything a rule may know about a statement besides its own tree. Read-only. */
export interface RuleContext {
  pgVersion: number
  statement: ParsedStatement
  /** Every statement of the file, in order. */
  statements: readonly ParsedStatement[]
  /** What this statement locks and whether it rewrites or scans. */
  effects: StatementEffects
  /**
   * 'explicit' inside BEGIN ... COMMIT; 'implicit' when Prisma (< 7.4) sends the whole file as one
   * query; 'none' when the statement runs on its own.
   */
  transaction: 'explicit' | 'implicit' | 'none'
  prisma: { version: string | null; mode: PrismaMode } | null
  /** What earlier statements of this migration did. */
  facts: MigrationFacts
  /** Created earlier in this migration, so empty: locks and rewrites on it cost nothing. */
  isNewTable(rel: AstNode | string): boolean
  /** `"User"` / `billing.invoices` for messages. */
  name(rel: AstNode): string
}

export function makeContext(parts: Omit<RuleContext, 'isNewTable' | 'name'>): RuleContext {
  return {
    ...parts,
    isNewTable: (rel) => parts.facts.isNewTable(rel),
    name: displayName,
  }
}
