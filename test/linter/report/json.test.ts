import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { generateMigration } from '../../../bench/generate-migration.mjs'
import { lint, lintFiles } from '../../../src/linter/lint.js'
import { formatJson, jsonReportPieces, toJsonReport } from '../../../src/linter/report/json.js'

describe('JSON report', () => {
  it('is one document with the contract keys first, in the documented order', async () => {
    const text = formatJson(await lint('CREATE INDEX i ON t (c);', { path: 'm.sql' }))
    expect(text.endsWith('}\n')).toBe(true)
    const doc = JSON.parse(text)
    expect(Object.keys(doc)).toEqual(['version', 'files', 'summary'])
    expect(Object.keys(doc.files[0])).toEqual(['path', 'statements', 'kind', 'prisma', 'error', 'notices'])
    expect(Object.keys(doc.files[0].statements[0])).toEqual([
      'index', 'line', 'column', 'endLine', 'text', 'verdict', 'lock', 'blocks', 'rewrite', 'findings', 'table', 'scan', 'ignored',
    ])
    expect(Object.keys(doc.files[0].statements[0].findings[0])).toEqual(['rule', 'category', 'severity', 'message', 'suggestion'])
    expect(Object.keys(doc.summary)).toEqual(['files', 'statements', 'risky', 'errors'])
  })

  it('equals the API result, so the API and --format json cannot drift', async () => {
    const result = await lint('BEGIN;\nCREATE INDEX i ON t (c);\nCOMMIT;', { path: 'm.sql' })
    expect(JSON.parse(formatJson(result))).toEqual(JSON.parse(JSON.stringify(result)))
  })

  it('writes the linter\'s own statement reports as they are, the same text as a key-by-key copy', async () => {
    const sql = [
      'CREATE INDEX i ON t (c);',
      '-- koinonia-db-ignore require-concurrent-index: built before the table has rows',
      'CREATE INDEX j ON t (d);',
      'ALTER TABLE t ALTER COLUMN c TYPE bigint;',
      'SELECT 1;',
    ].join('\n')
    const result = await lint(sql, { path: 'm.sql' })
    expect(result.files[0].statements.some((s) => s.ignored.length > 0)).toBe(true)
    expect(formatJson(result)).toBe(`${JSON.stringify(toJsonReport(result))}\n`)
    // A report that did not come from the linter (read back from JSON) is copied in the contract's order.
    const readBack = JSON.parse(JSON.stringify(result))
    readBack.files[0].statements[0] = { extra: 1, ...readBack.files[0].statements[0] }
    expect(formatJson(readBack)).toBe(formatJson(result))
  })

  // The CLI writes the report in pieces (report/json.ts jsonReportPieces); joined they must be the report.
  it('is the same text when made in pieces: many statements, many files, errors, notices, none', async () => {
    const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url))
    const results = [
      await lint(generateMigration(1000, 7).sql, { path: 'big.sql' }),
      await lintFiles([fixtures]),
      await lint('SELECT 1; SELEC 2;', { path: 'broken.sql' }),
      await lint('-- koinonia-db-ignore ban-drop-table\nDROP TABLE t;', { path: 'notice.sql' }),
      await lintFiles([]),
    ]
    expect(results[1].files.length).toBeGreaterThan(3)
    expect(results[1].files.some((f) => f.error)).toBe(true)
    for (const result of results) {
      const pieces = [...jsonReportPieces(result, 7)]
      expect(pieces.join('')).toBe(formatJson(result))
    }
    expect([...jsonReportPieces(results[0], 7)].length).toBeGreaterThan(100)
  })
})
