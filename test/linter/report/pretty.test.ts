import { describe, expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { formatPretty } from '../../../src/linter/report/pretty.js'

describe('pretty report', () => {
  it('draws the marker under the statement, in characters, after multi-byte text on the same line', async () => {
    const sql = '/* ü 日本 */ CREATE INDEX "größe_idx" ON "Kunden" ("Größe");\n'
    const out = formatPretty(await lint(sql, { path: 'm.sql' }), { readSource: () => sql })
    expect(out).toContain('  m.sql:1:12  error  require-concurrent-index  [index]\n')
    const lines = out.split('\n')
    const source = lines.findIndex((l) => l.includes('| /* ü'))
    expect(lines[source + 1]).toBe(`      | ${' '.repeat(11)}${'^'.repeat([...'CREATE INDEX "größe_idx" ON "Kunden" ("Größe");'].length)}`)
  })

  it('shows at most four lines of a long statement', async () => {
    const sql = `CREATE INDEX i ON t (\n${['a', 'b', 'c', 'd', 'e'].join(',\n')}\n);`
    const out = formatPretty(await lint(sql, { path: 'long.sql' }))
    expect(out).toContain('... (3 more lines)')
  })

  it('tables every statement and sums up, without ANSI codes unless asked', async () => {
    const result = await lint('BEGIN;\nCREATE INDEX i ON t (c);\nCOMMIT;\n', { path: 't.sql' })
    const out = formatPretty(result)
    expect(out).not.toMatch(/\u001b\[/)
    expect(out.match(/^ +\d+ {2}(safe|risky) /gm)).toHaveLength(3)
    expect(out.trimEnd().split('\n').at(-1)).toBe('✖ 3 statements in 1 file, 1 risky in 1 file')
    expect(formatPretty(result, { color: true })).toMatch(/\u001b\[31mrisky/)
    expect(formatPretty(await lint('SELECT 1;'))).toMatch(/✔ 1 statement in 1 file, 0 risky\n$/)
  })
})

describe('pretty report, style findings', () => {
  it('prints a style finding on one line, without source excerpt or rewrite', async () => {
    const sql = 'CREATE TABLE t (id int PRIMARY KEY, name varchar(20));\n'
    const result = await lint(sql, { path: 's.sql' })
    const style = result.files[0].statements[0].findings.filter((f) => f.category === 'style')
    expect(style.length).toBeGreaterThan(0)
    const out = formatPretty(result, { readSource: () => sql })
    for (const f of style) expect(out).toContain(`  s.sql:1:1  warning  ${f.rule}  [style]  ${f.message}\n`)
    expect(out).not.toContain('safe alternative:')
    expect(out).not.toContain('| CREATE TABLE')
  })
})
