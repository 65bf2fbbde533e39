import { loadPgParser, parseToJson, PgParseFailure, scanTokens } from './pg-parser.js'
import { startTailParse, worthASecondThread } from './parse-tail.js'
import { LazyStatement, type StatementSpan } from './lazy-statement.js'
import { forEachParseJsonEntry } from './split-parse-json.js'
import type { AstNode } from './types.js'

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

/** Maps byte offsets of a UTF-8 text to 1-based lines and character columns. */
export class SourceMap {
  readonly bytes: Buffer
  private readonly lineStarts: number[] = [0]
  /** Pure ASCII: byte offsets are string offsets, so spans and text come from the string itself. */
  private readonly ascii: boolean
  /** The 0-based line of the last lineOf answer. */
  private lastLine = 0

  constructor(readonly source: string) {
    this.bytes = Buffer.from(source, 'utf8')
    this.ascii = this.bytes.length === source.length
    // indexOf is native: a byte loop runs cold (interpreted) in a one-shot CLI run over a 2 MB file.
    if (this.ascii) for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1)
    else for (let i = this.bytes.indexOf(0x0a); i !== -1; i = this.bytes.indexOf(0x0a, i + 1)) this.lineStarts.push(i + 1)
  }

  lineOf(byte: number): number {
    // Statements are read in order, a few lines apart: look just after the last answer first.
    const starts = this.lineStarts
    for (let line = this.lastLine, steps = 0; line < starts.length && starts[line] <= byte && steps < 8; line++, steps++) {
      if (line + 1 === starts.length || starts[line + 1] > byte) return (this.lastLine = line) + 1
    }
    return (this.lastLine = this.searchLine(byte)) + 1
  }

  /** The 0-based line of `byte`, by binary search. */
  private searchLine(byte: number): number {
    let lo = 0
    let hi = this.lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.lineStarts[mid] <= byte) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /** 1-based column counted in characters (code points), not bytes. */
  columnOf(byte: number): number {
    const start = this.lineStarts[this.lineOf(byte) - 1]
    // Most statements start a line: no text to count.
    if (byte <= start) return 1
    if (this.ascii) return byte - start + 1
    return [...this.bytes.subarray(start, byte).toString('utf8')].length + 1
  }

  slice(start: number, end: number): string {
    return this.ascii ? this.source.slice(start, end) : this.bytes.subarray(start, end).toString('utf8')
  }

  /** Byte offset of a 0-based character offset (the parser reports error cursors in characters). */
  byteOfChar(charOffset: number): number {
    return Buffer.byteLength([...this.source].slice(0, charOffset).join(''), 'utf8')
  }
}

/** Parses SQL with the real Postgres parser. Throws SqlParseError with line and column. */
export function parseStatements(sql: string, map = new SourceMap(sql)): ParsedStatement[] {
  if (worthASecondThread(sql)) {
    const statements = parseOnTwoThreads(sql, map)
    if (statements) return statements
  }
  return statementsOfJson(parseJson(sql, map), map)
}

/**
 * The statements of `sql` parsed in two parts on two threads (parse-tail.ts); null when the file
 * cannot be cut, a part does not parse, or the cut cannot be trusted: the caller then parses it whole.
 */
export function parseOnTwoThreads(sql: string, map = new SourceMap(sql), from?: number): ParsedStatement[] | null {
  const tail = startTailParse(sql, from)
  if (!tail) return null
  let head: ParsedStatement[] | null = null
  try {
    head = statementsOfJson(parseToJson(tail.head), map)
  } catch {
    // A parse error: the whole file is parsed again for the error's position.
  }
  const json = tail.finish()
  if (!head || json === null) return null
  // The cut is sound only if the parser ended the head's last statement at the cut's `;` (not a `;`
  // in a comment after it): then parsing on from there is exactly what the whole-file parse does.
  const last = head[head.length - 1]
  if (!last || last.byteEnd !== tail.headBytes - 1) return null
  // Statements start at their first token (comments before it are not part of them), in a part
  // as in the whole file; the spaces in front of the worker's part keep the byte offsets whole.
  const rest = statementsOfJson(json, map, head.length)
  for (let i = 0; i < rest.length; i++) head.push(rest[i])
  return head
}

/** The parser's tree for `sql` (a whole file, or a part of it that starts at a statement). */
export function parseTree(sql: string, map?: SourceMap): AstNode {
  return JSON.parse(parseJson(sql, map))
}

/** The parser's tree for `sql` as JSON text. Throws SqlParseError with line and column. */
function parseJson(sql: string, map?: SourceMap): string {
  try {
    return parseToJson(sql)
  } catch (error) {
    if (error instanceof PgParseFailure && error.cursorPosition !== null) {
      map ??= new SourceMap(sql)
      const byte = map.byteOfChar(error.cursorPosition)
      throw new SqlParseError(error.message, map.lineOf(byte), map.columnOf(byte))
    }
    throw new SqlParseError(error instanceof Error ? error.message : String(error), 1, 1)
  }
}

/**
 * The statements of the parser's JSON, each tree left as its own JSON text and parsed when first
 * read (lazy-statement.ts): the linter reads each tree once and drops it, so a large file's trees
 * die young instead of all being promoted and kept to the end. Falls back to one JSON.parse of the
 * whole text if the text is not cut the way split-parse-json.ts expects.
 */
export function statementsOfJson(json: string, map: SourceMap, firstIndex = 0): ParsedStatement[] {
  const statements: ParsedStatement[] = []
  const cut = forEachParseJsonEntry(json, (stmtJson, kind, location, length) => {
    statements.push(new LazyStatement(stmtJson, kind, spanOf(map, firstIndex + statements.length, location, length)))
  })
  return cut ? statements : statementsOf(JSON.parse(json), map, firstIndex)
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
  return {
    index,
    text: map.slice(start, end).trim(),
    byteStart: start,
    byteEnd: end,
    line: map.lineOf(start),
    column: map.columnOf(start),
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

/** All comments of a file, found by the Postgres scanner (so `--` inside a string is not one). */
export function scanComments(sql: string, map = new SourceMap(sql)): SqlComment[] {
  return scanTokens(sql)
    .filter((t) => t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT')
    .map((t) => ({ text: map.slice(t.start, t.end), line: map.lineOf(t.start), byteStart: t.start, byteEnd: t.end }))
}
