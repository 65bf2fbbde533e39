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

/**
 * What the engine passes once per file. Every statement of the file is asked for only when a rule
 * looks ahead: a large file is still being parsed while its first statements are linted.
 */
export type FileContext = Pick<RuleContext, 'pgVersion' | 'prisma' | 'facts'> & { allStatements: () => readonly ParsedStatement[] }

// A class, not an object literal with closures: one is made per statement of a 20,000-statement file.
class StatementContext implements RuleContext {
  readonly pgVersion: number
  readonly statement: ParsedStatement
  readonly effects: StatementEffects
  readonly transaction: RuleContext['transaction']
  readonly prisma: RuleContext['prisma']
  readonly facts: MigrationFacts
  private readonly allStatements: () => readonly ParsedStatement[]

  constructor(file: FileContext, statement: ParsedStatement, effects: StatementEffects, transaction: RuleContext['transaction']) {
    this.pgVersion = file.pgVersion
    this.statement = statement
    this.effects = effects
    this.transaction = transaction
    this.prisma = file.prisma
    this.facts = file.facts
    this.allStatements = file.allStatements
  }

  get statements(): readonly ParsedStatement[] {
    return this.allStatements()
  }

  isNewTable(rel: AstNode | string): boolean {
    // Rules ask this of the statement's own table, one after the other, while the facts stand still.
    if (rel !== this.askedRel) {
      this.askedRel = rel
      this.askedNew = this.facts.isNewTable(rel)
    }
    return this.askedNew
  }
  private askedRel: AstNode | string | undefined = undefined
  private askedNew = false

  name(rel: AstNode): string {
    return displayName(rel)
  }
}

/** A statement's context; the file's part is made once (no object per statement to pass it). */
export function makeContext(file: FileContext, statement: ParsedStatement, effects: StatementEffects, transaction: RuleContext['transaction']): RuleContext {
  return new StatementContext(file, statement, effects, transaction)
}
