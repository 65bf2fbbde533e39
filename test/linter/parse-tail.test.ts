import { beforeAll, describe, expect, it } from 'vitest'
import { ensureParser, parseOnTwoThreads, parseStatements } from '../../src/linter/parse.js'
import { plainStatements, sqlParseErrorOf, wholeTreeStatements } from '../helpers/parsed-statements.js'

beforeAll(() => ensureParser())

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

describe('parsing a large file on two threads', () => {
  it('gives the statements, spans, text and trees of one whole-file parse', () => {
    const sql = filler(400, 'a')
    const split = parseOnTwoThreads(sql)
    expect(split).not.toBeNull()
    expect(plainStatements(split)).toEqual(wholeTreeStatements(sql))
  })

  it('starts the first statement after the cut where the whole parse does, after its leading comments', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1;\n-- about the next one; really\n/* and more */ SELECT 2;\n${filler(200, 'b')}`
    // Cut at the first `;` + newline after `a`: the one after SELECT 1.
    const split = parseOnTwoThreads(sql, undefined, a.length)
    expect(split).not.toBeNull()
    expect(plainStatements(split)).toEqual(wholeTreeStatements(sql))
    expect(split!.some((s) => s.text === 'SELECT 2')).toBe(true)
  })

  it('refuses a cut at a `;` inside a comment, so a file that does not parse whole still fails', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1 -- note;\n${filler(200, 'b')}`
    expect(parseOnTwoThreads(sql, undefined, a.length)).toBeNull()
    expect(sqlParseErrorOf(() => parseStatements(sql))).toEqual(sqlParseErrorOf(() => wholeTreeStatements(sql)))
  })

  it('refuses a cut after a comment that follows the last statement', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1; -- note;\n${filler(200, 'b')}`
    expect(parseOnTwoThreads(sql, undefined, a.length)).toBeNull()
    expect(plainStatements(parseStatements(sql))).toEqual(wholeTreeStatements(sql))
  })

  it('refuses a cut inside a function body (the head does not parse)', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `  x := ${i};\n`).join('')
    const sql = `${filler(20, 'a')}CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n${body}END;\n$$;\n${filler(20, 'b')}`
    expect(parseOnTwoThreads(sql, undefined, sql.indexOf(body) + body.length / 2)).toBeNull()
    expect(plainStatements(parseStatements(sql))).toEqual(wholeTreeStatements(sql))
  })

  it('reports a parse error in the second part at its place in the whole file', () => {
    const a = filler(200, 'a')
    const sql = `${a}${filler(100, 'b')}ALTER TABLE x ADD COLUMN;\n${filler(100, 'c')}`
    expect(parseOnTwoThreads(sql, undefined, a.length)).toBeNull()
    const error = sqlParseErrorOf(() => parseStatements(sql))
    expect(error).toEqual(sqlParseErrorOf(() => wholeTreeStatements(sql)))
    expect(error.line).toBeGreaterThan(1000)
  })
})
