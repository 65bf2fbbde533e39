import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureParser, parseStatements, scanComments, type SqlParseError } from '../../src/linter/parse.js'
import { sqlParseErrorOf } from '../helpers/parsed-statements.js'

beforeAll(() => ensureParser())

function parseError(sql: string): SqlParseError {
  return sqlParseErrorOf(() => parseStatements(sql))
}

describe('statement spans', () => {
  it('counts lines and character columns correctly after multi-byte comments and identifiers', () => {
    const sql = readFileSync(new URL('../../fixtures/lint/spans/non-ascii.sql', import.meta.url), 'utf8')
    const [table, index] = parseStatements(sql)
    expect(table).toMatchObject({ line: 2, column: 1, endLine: 2, text: 'CREATE TABLE "Bücher" ("Größe" int, "名前" text)' })
    // `/* ü */ ` is 8 characters but 9 bytes: the column is the character one.
    expect(index).toMatchObject({ line: 3, column: 9, endLine: 3, text: 'CREATE INDEX "idx_größe" ON "Kunden" ("Größe")' })
  })

  it('counts astral characters (emoji, 4 bytes, 2 UTF-16 units) as one column', () => {
    const [, second] = parseStatements("SELECT '🚀🚀'; SELECT 2;")
    expect(second).toMatchObject({ line: 1, column: 14, text: 'SELECT 2' })
  })

  it('spans multi-line statements, with CRLF line endings too', () => {
    const statements = parseStatements('-- é\r\nBEGIN;\r\nALTER TABLE "Ä"\r\n  ADD COLUMN "ö" int;\r\nCOMMIT;\r\n')
    expect(statements.map((s) => [s.kind, s.line, s.column, s.endLine])).toEqual([
      ['TransactionStmt', 2, 1, 2],
      ['AlterTableStmt', 3, 1, 4],
      ['TransactionStmt', 5, 1, 5],
    ])
    expect(statements[1].text).toBe('ALTER TABLE "Ä"\r\n  ADD COLUMN "ö" int')
  })

  it('keeps BEGIN and COMMIT as statements and a last statement without a semicolon', () => {
    const statements = parseStatements('BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nSELECT 1')
    expect(statements.map((s) => s.text)).toEqual(['BEGIN', 'CREATE TABLE t (id int)', 'COMMIT', 'SELECT 1'])
    expect(statements[3]).toMatchObject({ index: 3, line: 4, endLine: 4 })
  })
})

describe('parse errors', () => {
  it('give the line and character column of the error after multi-byte text', () => {
    const sql = readFileSync(new URL('../../fixtures/lint/spans/parse-error.sql', import.meta.url), 'utf8')
    const error = parseError(sql)
    expect(error.message).toBe('syntax error at or near ";"')
    expect([error.line, error.column]).toEqual([3, 38])
  })

  it('point at the unexpected token on a later line after emoji', () => {
    const error = parseError("SELECT '🚀';\nSELEC 1;")
    expect([error.line, error.column]).toEqual([2, 1])
    const sameLine = parseError('SELECT \'x\' FROM "🚀" WHERE ;')
    expect([sameLine.line, sameLine.column]).toEqual([1, 27])
  })

  it('an unterminated string is reported', () => {
    const error = parseError("SELECT 'é;\n")
    expect(error.message).toMatch(/unterminated quoted string/)
    expect(error.line).toBe(1)
  })
})

describe('comments', () => {
  it('finds -- and /* */ comments but not -- inside a string', () => {
    const comments = scanComments("SELECT '-- not a comment'; -- ü real\n/* block */ SELECT 1;")
    expect(comments.map((c) => [c.text, c.line])).toEqual([['-- ü real', 1], ['/* block */', 2]])
  })
})
