import { beforeAll, describe, expect, it } from 'vitest'
import { ensureParser, parseOnTwoThreads, parseStatements, parseTree, SourceMap, SqlParseError, statementsOf, type ParsedStatement } from '../../src/linter/parse.js'

beforeAll(() => ensureParser())

/** What one whole-file parse gives: the reference for every two-thread parse. */
function onOneThread(sql: string) {
  const map = new SourceMap(sql)
  return plain(statementsOf(parseTree(sql, map), map))
}

/** Spans, text, kind and tree: statements compared as plain values (lazily parsed ones included). */
function plain(statements: ParsedStatement[] | null) {
  return statements?.map((s) => ({ index: s.index, kind: s.kind, text: s.text, byteStart: s.byteStart, byteEnd: s.byteEnd, line: s.line, column: s.column, endLine: s.endLine, stmt: s.stmt })) ?? null
}

/** Statements of every shape around a cut: non-ASCII text, comments with `;`, bodies with `;` + newline. */
function filler(count: number, seed: string): string {
  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    parts.push(
      `-- step ${seed}${i}; the café ☕ table\nALTER TABLE "tëst_${seed}${i}" ADD COLUMN "naïve" varchar(40) DEFAULT 'é;x';\n`,
      `CREATE FUNCTION f_${seed}${i}() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n`,
      `/* block; comment */ CREATE INDEX "i_${seed}${i}" ON "t_${seed}${i}" (a);\n`,
    )
  }
  return parts.join('')
}

function errorOf(parse: () => unknown): SqlParseError {
  try {
    parse()
  } catch (error) {
    if (error instanceof SqlParseError) return error
    throw error
  }
  throw new Error('expected a parse error')
}

describe('parsing a large file on two threads', () => {
  it('gives the statements, spans, text and trees of one whole-file parse', () => {
    const sql = filler(400, 'a')
    const split = parseOnTwoThreads(sql)
    expect(split).not.toBeNull()
    expect(plain(split)).toEqual(onOneThread(sql))
  })

  it('starts the first statement after the cut where the whole parse does, after its leading comments', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1;\n-- about the next one; really\n/* and more */ SELECT 2;\n${filler(200, 'b')}`
    // Cut at the first `;` + newline after `a`: the one after SELECT 1.
    const split = parseOnTwoThreads(sql, undefined, a.length)
    expect(split).not.toBeNull()
    expect(plain(split)).toEqual(onOneThread(sql))
    expect(split!.some((s) => s.text === 'SELECT 2')).toBe(true)
  })

  it('refuses a cut at a `;` inside a comment, so a file that does not parse whole still fails', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1 -- note;\n${filler(200, 'b')}`
    expect(parseOnTwoThreads(sql, undefined, a.length)).toBeNull()
    expect(errorOf(() => parseStatements(sql))).toEqual(errorOf(() => onOneThread(sql)))
  })

  it('refuses a cut after a comment that follows the last statement', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1; -- note;\n${filler(200, 'b')}`
    expect(parseOnTwoThreads(sql, undefined, a.length)).toBeNull()
    expect(plain(parseStatements(sql))).toEqual(onOneThread(sql))
  })

  it('refuses a cut inside a function body (the head does not parse)', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `  x := ${i};\n`).join('')
    const sql = `${filler(20, 'a')}CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n${body}END;\n$$;\n${filler(20, 'b')}`
    expect(parseOnTwoThreads(sql, undefined, sql.indexOf(body) + body.length / 2)).toBeNull()
    expect(plain(parseStatements(sql))).toEqual(onOneThread(sql))
  })

  it('reports a parse error in the second part at its place in the whole file', () => {
    const a = filler(200, 'a')
    const sql = `${a}${filler(100, 'b')}ALTER TABLE x ADD COLUMN;\n${filler(100, 'c')}`
    expect(parseOnTwoThreads(sql, undefined, a.length)).toBeNull()
    const error = errorOf(() => parseStatements(sql))
    expect(error).toEqual(errorOf(() => onOneThread(sql)))
    expect(error.line).toBeGreaterThan(1000)
  })
})
