import { describe, expect, it } from 'vitest'
import { lint, lintFiles } from '../../../src/linter/lint.js'
import { formatGitlab, toCodeQuality } from '../../../src/linter/report/gitlab.js'

const SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker']

describe('gitlab Code Quality report', () => {
  it('has one entry per finding in the shape GitLab reads, with a unique fingerprint each', async () => {
    const result = await lintFiles(['fixtures/lint/sql-project/migrations', 'fixtures/lint/prisma-project/prisma/migrations'])
    const issues = JSON.parse(formatGitlab(result))
    const findings = result.files.flatMap((f) => [...f.statements.flatMap((s) => s.findings), ...f.notices])
    expect(issues).toHaveLength(findings.length)
    expect(issues.length).toBeGreaterThan(3)
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity'])
      expect(issue.check_name).toMatch(/^koinonia-db\/[a-z-]+$/)
      expect(SEVERITIES).toContain(issue.severity)
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/)
      expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1)
      expect(result.files.map((f) => f.path)).toContain(issue.location.path)
    }
    expect(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(issues.length)
  })

  it('maps severity: errors critical, warnings minor, style info; a statement over several lines has an end', async () => {
    const result = await lint('CREATE TABLE t (id serial PRIMARY KEY);\nCREATE INDEX i ON orders\n  (a);\n', { path: 'm.sql' })
    const byRule = Object.fromEntries(toCodeQuality(result).map((i) => [i.check_name, i]))
    expect(byRule['koinonia-db/require-concurrent-index']).toMatchObject({ severity: 'critical', location: { path: 'm.sql', lines: { begin: 2, end: 3 } } })
    expect(byRule['koinonia-db/require-concurrent-index'].description).toContain('Safe alternative:\nCREATE INDEX CONCURRENTLY')
    expect(byRule['koinonia-db/require-statement-timeout']).toMatchObject({ severity: 'minor' })
    expect(byRule['koinonia-db/prefer-identity']).toMatchObject({ severity: 'info', location: { lines: { begin: 1 } } })
  })

  it('keeps a finding\'s fingerprint when lines above it move, and tells identical statements apart', async () => {
    const sql = 'CREATE INDEX i ON orders (a);\nCREATE INDEX i ON orders (a);\n'
    const before = toCodeQuality(await lint(sql, { path: 'm.sql' })).filter((i) => i.check_name === 'koinonia-db/require-concurrent-index')
    const after = toCodeQuality(await lint(`SELECT 1;\n\n${sql.replace('(a)', '(a)\n')}`, { path: 'm.sql' })).filter((i) => i.check_name === 'koinonia-db/require-concurrent-index')
    expect(before).toHaveLength(2)
    expect(before[0].fingerprint).not.toBe(before[1].fingerprint)
    expect(after.map((i) => i.fingerprint)).toEqual(before.map((i) => i.fingerprint))
    expect(after[0].location.lines.begin).toBe(3)
    // Another file, another finding.
    const elsewhere = toCodeQuality(await lint(sql, { path: 'n.sql' })).filter((i) => i.check_name === 'koinonia-db/require-concurrent-index')
    expect(elsewhere[0].fingerprint).not.toBe(before[0].fingerprint)
  })

  it('reports a file that could not be linted as a blocker at its position', async () => {
    const result = await lint('SELECT 1;\nSELEC 2;', { path: 'x.sql' })
    expect(toCodeQuality(result)).toEqual([expect.objectContaining({
      check_name: 'koinonia-db/cannot-lint', severity: 'blocker', location: { path: 'x.sql', lines: { begin: 2 } },
      description: 'Not linted: syntax error at or near "SELEC"',
    })])
  })
})
