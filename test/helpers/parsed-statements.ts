import { parseTree, SourceMap, SqlParseError, statementsOf, type ParsedStatement } from '../../src/linter/parse.js'

/** Spans, text, kind and tree: statements compared as plain values (lazily parsed ones included). */
export function plainStatements(statements: ParsedStatement[] | null) {
  return statements?.map((s) => ({ index: s.index, kind: s.kind, text: s.text, byteStart: s.byteStart, byteEnd: s.byteEnd, line: s.line, column: s.column, endLine: s.endLine, stmt: s.stmt })) ?? null
}

/** What one JSON.parse of the whole parse tree gives: the reference for the lazy and two-thread parses. */
export function wholeTreeStatements(sql: string, map = new SourceMap(sql)) {
  return plainStatements(statementsOf(parseTree(sql, map), map))
}

/** The SqlParseError `parse` throws; fails the test if it throws nothing or something else. */
export function sqlParseErrorOf(parse: () => unknown): SqlParseError {
  try {
    parse()
  } catch (error) {
    if (error instanceof SqlParseError) return error
    throw error
  }
  throw new Error('expected a parse error')
}
