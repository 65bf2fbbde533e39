import { LazyStatement, type StatementSpan } from './lazy-statement.js'
import type { ParsedStatement } from './parse.js'
import type { SourceMap } from './source-map.js'
import { parseJsonEntries, statementKindOf } from './split-parse-json.js'
import type { AstNode } from './types.js'

/**
 * The statements of the parser's JSON, each tree left as its own JSON text and parsed when first
 * read (lazy-statement.ts): the linter reads each tree once and drops it, so a large file's trees
 * die young instead of all being promoted and kept to the end. Falls back to one JSON.parse of the
 * whole text if the text is not cut the way split-parse-json.ts expects.
 */
export function statementsOfJson(json: string, map: SourceMap, firstIndex = 0): ParsedStatement[] {
  const entries = parseJsonEntries(json)
  return entries ? statementsOfCutJson(json, entries, map, firstIndex) : statementsOf(JSON.parse(json), map, firstIndex)
}

/**
 * statementsOfJson for JSON already cut (the worker cuts its parts: tail-worker.ts): `entries`
 * holds four numbers per statement, as parseJsonEntries returns them.
 */
export function statementsOfCutJson(json: string, entries: ArrayLike<number>, map: SourceMap, firstIndex = 0): ParsedStatement[] {
  const statements: ParsedStatement[] = []
  for (let i = 0; i < entries.length; i += 4)
    statements.push(lazyStatement(json, entries[i], entries[i + 1], spanOf(map, firstIndex + statements.length, entries[i + 2], entries[i + 3])))
  return statements
}

/** The statement whose tree is json[start, end). */
function lazyStatement(json: string, start: number, end: number, span: StatementSpan): LazyStatement {
  const stmtJson = json.slice(start, end)
  return new LazyStatement(stmtJson, statementKindOf(stmtJson), span)
}

/** The statements of a parse tree with their spans in the file `map` describes. */
export function statementsOf(tree: AstNode, map: SourceMap, firstIndex = 0): ParsedStatement[] {
  const raw: AstNode[] = tree.stmts ?? []
  return raw.map((entry, i) => {
    const stmt = entry.stmt ?? {}
    return { ...spanOf(map, firstIndex + i, entry.stmt_location ?? 0, entry.stmt_len), stmt, kind: statementKind(stmt) }
  })
}

/** A statement's span: the parser's location and length, without the whitespace it may begin with. */
function spanOf(map: SourceMap, index: number, location: number, len: number | undefined): StatementSpan {
  const end = len ? location + len : map.bytes.length
  let start = location
  // The parser's span of a statement can begin with the whitespace and comments that precede it.
  while (start < end && isSpace(map.bytes[start])) start++
  const line = map.lineOf(start)
  return {
    index,
    text: map.slice(start, end).trim(),
    byteStart: start,
    byteEnd: end,
    line,
    column: map.columnOn(line, start),
    endLine: map.lineOf(Math.max(start, end - 1)),
  }
}

/** The node type of `{ IndexStmt: {...} }`, without the array Object.keys would allocate per statement. */
function statementKind(stmt: AstNode): string {
  for (const key in stmt) return key
  return 'Unknown'
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}
