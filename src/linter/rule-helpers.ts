import { alterCommands, columnConstraints, displayIdent } from './ast.js'
import type { RuleContext } from './context.js'
import { aLock } from './locks.js'
import type { ParsedStatement } from './parse.js'
import type { AstNode, LockMode } from './types.js'

/** "an ACCESS EXCLUSIVE lock on users (blocks reads, writes and schema changes)" for the statement's own lock. */
export function lockOf(ctx: RuleContext, lock?: LockMode, table?: string): string {
  return aLock(lock ?? ctx.effects.lock ?? 'ACCESS EXCLUSIVE', table ?? ctx.effects.tableName)
}

/**
 * The first statement after this one that `match` accepts. The list is asked for once (it comes
 * through a getter and may run to the end of a large file) and not copied; `match` should test
 * `kind` before reading `stmt`, since reading a statement's tree parses it (lazy-statement.ts).
 */
export function laterStatement(ctx: RuleContext, match: (s: ParsedStatement) => boolean): ParsedStatement | undefined {
  const statements = ctx.statements
  for (let i = ctx.statement.index + 1; i < statements.length; i++) if (match(statements[i])) return statements[i]
  return undefined
}

/** CONCURRENTLY and friends fail here: inside BEGIN, or in Prisma's single query with other statements. */
export function cannotRunConcurrently(ctx: RuleContext): boolean {
  if (ctx.transaction === 'explicit') return true
  return ctx.transaction === 'implicit' && ctx.statements.length > 1
}

/** Where the statement would run, for messages about transaction blocks. */
export function transactionPlace(ctx: RuleContext): string {
  if (ctx.transaction === 'explicit' && ctx.facts.transactionAssumed) return 'inside the transaction the migration tool runs this file in'
  return ctx.transaction === 'explicit'
    ? 'inside BEGIN ... COMMIT'
    : `inside the single transaction Prisma ${ctx.prisma?.version ?? '< 7.4'} wraps a multi-statement migration.sql in`
}

/** Appended to suggestions that need their own migration because a transaction surrounds this one. */
export function ownMigrationNote(ctx: RuleContext): string {
  return ctx.transaction !== 'none' ? '\n-- in a migration of its own: it cannot run inside a transaction block' : ''
}

/**
 * The ALTER TABLE node and its subcommands with a given subtype, when the statement is one. Computed
 * once per statement and subtype, shared by the rules that ask: callers must not modify it.
 */
export function alterCmds(stmt: AstNode, subtype?: string): { alter: AstNode; cmds: readonly AstNode[] } | undefined {
  const alter = stmt?.AlterTableStmt
  if (!alter || alter.objtype !== 'OBJECT_TABLE') return undefined
  // The rules of one statement run one after the other: the last statement's lists, grouped by
  // subtype in one pass, are all a cache needs (a dozen rules ask, for a dozen subtypes).
  if (alter !== cached.alter) cached = groupCommands(alter)
  if (subtype === undefined) return cached.all
  if (cached.only !== undefined) return subtype === cached.only ? cached.all : cached.none
  return cached.bySubtype?.get(subtype) ?? cached.none
}

type AlterCmds = { alter: AstNode; cmds: readonly AstNode[] }
const NO_COMMANDS: readonly AstNode[] = Object.freeze([])
/** `only`: the subtype of a one-subcommand ALTER TABLE (most of them), which needs no map. */
let cached: { alter: object | undefined; all?: AlterCmds; none?: AlterCmds; only?: string; bySubtype?: Map<string, AlterCmds> } = { alter: undefined }

function groupCommands(alter: AstNode): typeof cached {
  const all = alterCommands(alter)
  if (all.length === 1 && typeof all[0].subtype === 'string') return { alter, all: { alter, cmds: all }, none: { alter, cmds: NO_COMMANDS }, only: all[0].subtype, bySubtype: undefined }
  const bySubtype = new Map<string, AlterCmds>()
  for (let i = 0; i < all.length; i++) {
    const group = bySubtype.get(all[i].subtype)
    if (group) (group.cmds as AstNode[]).push(all[i])
    else bySubtype.set(all[i].subtype, { alter, cmds: [all[i]] })
  }
  return { alter, all: { alter, cmds: all }, none: { alter, cmds: NO_COMMANDS }, only: undefined, bySubtype }
}

export const ident = displayIdent

/**
 * A statement's text with its trailing `;` and whitespace replaced by `end`: what
 * `text.replace(/;?\s*$/, end)` gives, without a regex that tries every position of every
 * statement that gets a suggestion (~15,000 on a large generated migration).
 */
export function withEnd(text: string, end: string): string {
  const trimmed = text.trimEnd()
  return (trimmed.endsWith(';') ? trimmed.slice(0, -1) : trimmed) + end
}

/** A short name for a constraint or index built from table and columns, like Postgres would. */
export function derivedName(rel: AstNode, columns: string[], suffix: string): string {
  return ident([rel?.relname ?? 't', ...columns, suffix].join('_').slice(0, 63))
}

/** The deploys of an expand/contract change, numbered: each step's first line is prose, the rest SQL. */
export function deploys(steps: string[]): string {
  // The number goes before the step's first line; the lines after it stay as they are.
  return steps.map((step, i) => `-- deploy ${i + 1}: ${step}`).join('\n')
}

/** How to drop each perContext value (below); declared before the first perContext call runs. */
const FORGET: Array<() => void> = []

/**
 * The column definitions an ALTER TABLE adds to an existing table (a new table is empty: nothing to
 * judge). `stmt` must be `ctx`'s own statement (the result is kept per context); it is passed rather
 * than read from `ctx` so rule-dispatch's probe sees which statement kinds the rule looks at.
 */
export const addedColumns = perContext((stmt: AstNode, ctx: RuleContext): { rel: AstNode; table: string; defs: AstNode[] } | undefined => {
  const found = alterCmds(stmt, 'AT_AddColumn')
  // No ADD COLUMN: nothing to ask the context (rule-dispatch.ts skips the rule for such statements).
  return !found?.cmds.length || ctx.isNewTable(found.alter.relation)
    ? undefined
    : { rel: found.alter.relation, table: ctx.name(found.alter.relation), defs: found.cmds.map((cmd) => cmd.def?.ColumnDef).filter(Boolean) }
})

/**
 * The ADD COLUMN subcommands of an ALTER TABLE on an existing table whose inline constraint matches
 * (`ADD COLUMN x int UNIQUE`, `... REFERENCES t`): the constraint is built in the same step.
 */
export function addedColumnsWithConstraint(stmt: AstNode, ctx: RuleContext, match: (c: AstNode) => boolean): { rel: AstNode; table: string; columns: Array<{ def: AstNode; constraint: AstNode }> } | undefined {
  const found = addedColumns(stmt, ctx)
  if (!found) return undefined
  const columns = []
  for (let i = 0; i < found.defs.length; i++) {
    const def = found.defs[i]
    const constraint = columnConstraints(def).find(match)
    if (constraint) columns.push({ def, constraint })
  }
  return { rel: found.rel, table: found.table, columns }
}

/**
 * The constraints an ALTER TABLE on an existing table adds (`ADD CONSTRAINT ...`) that match, and how
 * many ADD CONSTRAINT subcommands it has in all (one: the statement's text is that constraint's).
 */
export function addedConstraints(stmt: AstNode, ctx: RuleContext, match: (c: AstNode) => boolean): { rel: AstNode; table: string; constraints: AstNode[]; added: number } | undefined {
  const all = allAddedConstraints(stmt, ctx)
  return all ? { ...all, constraints: all.constraints.filter(match) } : undefined
}
const allAddedConstraints = perContext((stmt: AstNode, ctx: RuleContext): { rel: AstNode; table: string; constraints: AstNode[]; added: number } | undefined => {
  const found = alterCmds(stmt, 'AT_AddConstraint')
  return !found?.cmds.length || ctx.isNewTable(found.alter.relation)
    ? undefined
    : { rel: found.alter.relation, table: ctx.name(found.alter.relation), constraints: found.cmds.map((c) => c.def?.Constraint).filter(Boolean), added: found.cmds.length }
})

/**
 * A value several rules ask of the same statement, worked out once per rule context (one per
 * statement: whether a table is new depends on the statements before it). Only the last context's
 * value is kept: the rules ask one statement after another. A weak map over every context made
 * each entry an ephemeron every scavenge traces (one of the allocation cuts of docs/linter.md's
 * "Tenth round").
 * The last context holds the file's statements and their trees' JSON (~40 MB after a
 * 20,000-statement file): `forgetStatementValues()` lets it go once a file is classified.
 */
function perContext<T>(compute: (stmt: AstNode, ctx: RuleContext) => T): (stmt: AstNode, ctx: RuleContext) => T {
  let lastCtx: RuleContext | undefined
  let lastValue: T | undefined
  FORGET.push(() => {
    lastCtx = lastValue = undefined
  })
  return (stmt, ctx) => {
    if (ctx !== lastCtx) {
      lastValue = compute(stmt, ctx)
      lastCtx = ctx
    }
    return lastValue as T
  }
}
/** Drops the values kept for the last statement's context (perContext). The engine calls it after each file. */
export function forgetStatementValues(): void {
  for (let i = 0; i < FORGET.length; i++) FORGET[i]()
}
