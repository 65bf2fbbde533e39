import { describe, expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { formatCompact } from '../../../src/linter/report/compact.js'

describe('compact report', () => {
  it('one path:line:column: severity: message [rule] line per finding, and nothing else', async () => {
    const result = await lint('SELECT 1;\nCREATE INDEX i ON orders\n  (a);\n', { path: 'db/m.sql' })
    const lines = formatCompact(result).trimEnd().split('\n')
    expect(lines).toHaveLength(result.files[0].statements.flatMap((s) => s.findings).length)
    expect(lines[0]).toMatch(/^db\/m\.sql:2:1: error: CREATE INDEX i on orders takes a SHARE lock [^\n]+ \[require-concurrent-index\]$/)
    for (const l of lines) expect(l).toMatch(/^db\/m\.sql:\d+:\d+: (error|warning): .+ \[[a-z-]+\]$/)
    expect(formatCompact(await lint('SELECT 1;', { path: 'ok.sql' }))).toBe('')
  })

  it('a file that does not parse is an error line at its position', async () => {
    expect(formatCompact(await lint('SELECT 1;\nSELEC 2;', { path: 'x.sql' }))).toBe('x.sql:2:1: error: syntax error at or near "SELEC" [cannot-lint]\n')
  })
})
