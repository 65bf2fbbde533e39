import { describe, expect, it } from 'vitest'
import { lint } from '../../../src/linter/lint.js'
import { RULES } from '../../../src/linter/rules/index.js'
import { toSarif } from '../../../src/linter/report/sarif.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

describe('SARIF report', () => {
  it('describes every rule of the registry with help text and a default level', async () => {
    const sarif: Json = toSarif(await lint('SELECT 1;'))
    const rules: Json[] = sarif.runs[0].tool.driver.rules
    for (const rule of RULES) {
      const d = rules.find((r) => r.id === rule.id)
      expect(d, rule.id).toBeDefined()
      expect(d.shortDescription.text).toBe(rule.docs.summary)
      expect(d.help.markdown).toContain(rule.docs.safeAlternative)
      expect(d.defaultConfiguration.level).toBe(rule.severity)
    }
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length)
  })

  it('records ignored findings as suppressed results with the reason', async () => {
    const sql = '-- koinonia-db-ignore require-concurrent-index: 12 rows\nCREATE INDEX i ON t (c);\n'
    const sarif: Json = toSarif(await lint(sql, { path: 'dir with space/m.sql' }), { cwd: '/repo' })
    const result = sarif.runs[0].results.find((r: Json) => r.ruleId === 'require-concurrent-index')
    expect(result.suppressions).toEqual([{ kind: 'inSource', justification: '12 rows' }])
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'dir%20with%20space/m.sql', uriBaseId: 'SRCROOT' })
    expect(sarif.runs[0].originalUriBaseIds).toEqual({ SRCROOT: { uri: 'file:///repo/' } })
  })

  it('uses file URIs for absolute paths and reports columns in code points', async () => {
    const sarif: Json = toSarif(await lint("SELECT '🚀'; CREATE INDEX i ON t (c);", { path: '/abs/m.sql' }))
    expect(sarif.runs[0].columnKind).toBe('unicodeCodePoints')
    const location = sarif.runs[0].results[0].locations[0].physicalLocation
    expect(location.artifactLocation).toEqual({ uri: 'file:///abs/m.sql' })
    expect(location.region).toMatchObject({ startLine: 1, startColumn: 13 })
  })
})
