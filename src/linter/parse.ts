import { loadPgParser, parseToJson, PgParseFailure, scanTokens } from './pg-parser.js'
import { worthASecondThread } from './parse-tail.js'
import { SourceMap } from './source-map.js'
import { StatementStream, WholeParseNeeded } from './statement-stream.js'
import { statementsOfJson } from './statements-of-json.js'
import type { AstNode } from './types.js'

export { SourceMap } from './source-map.js'
export { statementsOf, statementsOfJson } from './statements-of-json.js'

/** One statement of a file, with its span computed from the parser's byte offsets. */
export interface ParsedStatement {
  index: number
  /** `{ IndexStmt: {...} }` */
  readonly stmt: AstNode
  /** The statement's node type, e.g. "IndexStmt". */
  kind: string
  text: string
  byteStart: number
  byteEnd: number
  line: number
  column: number
  endLine: number
}

export interface SqlComment {
  text: string
  line: number
  byteStart: number
  byteEnd: number
}

export class SqlParseError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message)
    this.name = 'SqlParseError'
  }
}

/** The parser's WASM module compiles once per thread. */
export function ensureParser(): Promise<void> {
  return loadPgParser()
}

/** Parses SQL with the real Postgres parser. Throws SqlParseError with line and column. */
export function parseStatements(sql: string, map = new SourceMap(sql)): ParsedStatement[] {
  const stream = worthASecondThread(sql) ? StatementStream.start(sql, map) : null
  if (stream) {
    try {
      return [...stream.all()]
    } catch (error) {
      if (!(error instanceof WholeParseNeeded)) throw error
    } finally {
      stream.close()
    }
  }
  return parseWhole(sql, map)
}

/** The statements of `sql` parsed in one go on this thread. Throws SqlParseError with line and column. */
export function parseWhole(sql: string, map = new SourceMap(sql)): ParsedStatement[] {
  return statementsOfJson(parseJson(sql, map), map)
}

/** The parser's tree for `sql` (a whole file, or a part of it that starts at a statement). */
export function parseTree(sql: string, map?: SourceMap): AstNode {
  return JSON.parse(parseJson(sql, map))
}

/** The parser's tree for `sql` as JSON text. Throws SqlParseError with line and column. */
function parseJson(sql: string, map?: SourceMap): string {
  try {
    // An empty file has no statements, as a file of blanks has (the parser refuses '' as a query).
    return parseToJson(sql === '' ? ' ' : sql)
  } catch (error) {
    if (error instanceof PgParseFailure && error.cursorPosition !== null) {
      map ??= new SourceMap(sql)
      const byte = map.byteOfChar(error.cursorPosition)
      throw new SqlParseError(error.message, map.lineOf(byte), map.columnOf(byte))
    }
    throw new SqlParseError(error instanceof Error ? error.message : String(error), 1, 1)
  }
}

/** All comments of a file, found by the Postgres scanner (so `--` inside a string is not one). */
export function scanComments(sql: string, map = new SourceMap(sql)): SqlComment[] {
  return scanTokens(sql)
    .filter((t) => t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT')
    .map((t) => ({ text: map.slice(t.start, t.end), line: map.lineOf(t.start), byteStart: t.start, byteEnd: t.end }))
}
