import { beforeAll, describe, expect, it } from 'vitest'
import { LazyStatement } from '../../src/linter/lazy-statement.js'
import { ensureParser, parseStatements } from '../../src/linter/parse.js'
import { plainStatements, wholeTreeStatements } from '../helpers/parsed-statements.js'
import { parseToJson } from '../../src/linter/pg-parser.js'
import { parseJsonEntries, statementKindOf } from '../../src/linter/split-parse-json.js'

function splitParseJson(json: string) {
  const cut = parseJsonEntries(json)
  if (!cut) return null
  const entries: Array<{ stmtJson: string; kind: string; location: number; length: number }> = []
  for (let i = 0; i < cut.length; i += 4) entries.push({ stmtJson: json.slice(cut[i], cut[i + 1]), kind: statementKindOf(json.slice(cut[i], cut[i + 1])), location: cut[i + 2], length: cut[i + 3] })
  return entries
}

beforeAll(() => ensureParser())

/** The statements of one JSON.parse of the whole tree: the reference for the cut. */
function reference(sql: string) {
  const tree = JSON.parse(parseToJson(sql))
  return (tree.stmts ?? []).map((e: { stmt?: object; stmt_location?: number; stmt_len?: number }) => ({ tree: e.stmt ?? {}, location: e.stmt_location ?? 0, length: e.stmt_len ?? 0 }))
}

function cut(sql: string) {
  return splitParseJson(parseToJson(sql))?.map((e) => ({ tree: JSON.parse(e.stmtJson), location: e.location, length: e.length, kind: e.kind }))
}

describe('cutting the parser JSON into statements without parsing the trees', () => {
  const cases: Record<string, string> = {
    'one statement without a semicolon': 'SELECT 1',
    'one statement with one': 'SELECT 1;',
    'leading whitespace, last without a semicolon': ' SELECT 1; SELECT 2',
    'empty statements and trailing spaces': 'SELECT 1;;SELECT 2;  ',
    'only a comment': '-- nothing\n',
    // Strings that spell the JSON keys the cut looks for, quoted and escaped every way.
    'key names inside values': `SELECT '",\\"stmt_len\\":5}' AS "x,""stmt_len"":1}"; COMMENT ON TABLE t IS '{"stmt":{"stmt_location":3}}}';\nSELECT E'\\\\"},"stmt_len":9}', $$,"stmt_location":7}$$;`,
    'bodies and non-ASCII text': `CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\nALTER TABLE "tëst" ADD COLUMN "naïve" text DEFAULT '☕;';\n`,
  }
  for (const [name, sql] of Object.entries(cases)) {
    it(name, () => {
      const got = cut(sql)
      expect(got).not.toBeNull()
      expect(got!.map(({ tree, location, length }) => ({ tree, location, length }))).toEqual(reference(sql))
      for (const e of got!) expect(e.kind).toBe(Object.keys(e.tree)[0] ?? 'Unknown')
    })
  }

  it('refuses text that is not shaped like the parser output', () => {
    expect(splitParseJson('{"version":1,"stmts":[{"stmt":{"SelectStmt":{}},"stmt_len":3}')).toBeNull()
    expect(splitParseJson('{"version":1,"stmts":[{"tree":{}}]}')).toBeNull()
  })

  it('gives the statements a whole-tree parse gives, trees parsed when read', () => {
    const sql = Object.values(cases).join(';\n')
    const lazy = parseStatements(sql)
    expect(lazy.every((s) => s instanceof LazyStatement)).toBe(true)
    expect(plainStatements(lazy)).toEqual(wholeTreeStatements(sql))
  })
})
