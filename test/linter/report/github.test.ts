import { describe, expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { escapeData, escapeProperty, formatGithub } from '../../../src/linter/report/github.js'

describe('github workflow commands', () => {
  it('escapes data and property values as the Actions runner expects', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext')
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A')
  })

  it('puts file, line, endLine, col and title on each finding, one line each', async () => {
    const result = await lint('SELECT 1;\nCREATE INDEX "a,b:c" ON orders\n  (a);\n', { path: 'db/m,1.sql' })
    const lines = formatGithub(result).trimEnd().split('\n')
    expect(lines[0]).toMatch(/^::error file=db\/m%2C1\.sql,line=2,endLine=3,col=1,title=koinonia-db require-concurrent-index::CREATE INDEX "a,b:c" on orders/)
    expect(lines.at(-1)).toBe('koinonia-db: 2 statements in 1 file, 1 risky')
  })

  it('reports a file that does not parse as an error annotation at its position', async () => {
    const result = await lint('SELECT 1;\nSELEC 2;', { path: 'x.sql' })
    expect(formatGithub(result)).toMatch(/^::error file=x\.sql,line=2,col=1,title=koinonia-db%3A cannot lint::syntax error at or near "SELEC"$/m)
  })
})
