import type { ParsedStatement } from './parse.js'
import type { AstNode } from './types.js'

/** Where a statement is in its file and what it says, without its tree. */
export type StatementSpan = Omit<ParsedStatement, 'stmt' | 'kind'>

/**
 * A statement whose tree stays JSON text until read. `stmt` parses it on first read and keeps it
 * (later statements looked at by a rule, other callers); `statementTree()` gives the linter a tree it
 * reads once and drops, so 20,000 trees are not all kept alive until the report is written.
 */
export class LazyStatement implements ParsedStatement {
  readonly index: number
  readonly text: string
  readonly byteStart: number
  readonly byteEnd: number
  readonly line: number
  readonly column: number
  readonly endLine: number
  private tree: AstNode | undefined

  constructor(private readonly json: string, readonly kind: string, span: StatementSpan) {
    this.index = span.index
    this.text = span.text
    this.byteStart = span.byteStart
    this.byteEnd = span.byteEnd
    this.line = span.line
    this.column = span.column
    this.endLine = span.endLine
  }

  get stmt(): AstNode {
    return (this.tree ??= JSON.parse(this.json))
  }

  /** The tree, parsed anew unless something already kept it. */
  freshTree(): AstNode {
    return this.tree ?? JSON.parse(this.json)
  }
}

/** A statement's tree for one read that keeps no reference to it. */
export function statementTree(statement: ParsedStatement): AstNode {
  return statement instanceof LazyStatement ? statement.freshTree() : statement.stmt
}
