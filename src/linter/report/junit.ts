import type { LintResult } from '../types.js'

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)
    // XML 1.0 forbids most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}

/**
 * JUnit XML (GitLab, CircleCI, Jenkins show it natively): a test suite per file, a test case per
 * statement; a risky statement is a failure, a file that cannot be parsed an error.
 */
export function formatJunit(result: LintResult): string {
  const suites = result.files.map((file) => {
    const failures = file.statements.filter((s) => s.verdict === 'risky').length + file.notices.filter((n) => n.severity === 'error').length
    const cases = file.statements.map((s) => {
      const name = xml(`line ${s.line}: ${s.text.split('\n')[0].slice(0, 100)}`)
      const risky = s.findings.filter((f) => f.category !== 'style')
      if (!risky.length) return `    <testcase classname="${xml(file.path)}" name="${name}"/>`
      const body = risky.map((f) => `${f.rule} (${f.category}): ${f.message}\nSafe alternative:\n${f.suggestion}`).join('\n\n')
      return [
        `    <testcase classname="${xml(file.path)}" name="${name}">`,
        `      <failure message="${xml(risky.map((f) => f.rule).join(', '))}" type="${xml(risky[0].category)}">${xml(`${file.path}:${s.line}:${s.column}\n${body}`)}</failure>`,
        '    </testcase>',
      ].join('\n')
    })
    for (const n of file.notices.filter((x) => x.severity === 'error'))
      cases.push(`    <testcase classname="${xml(file.path)}" name="${xml(n.rule)}">\n      <failure message="${xml(n.rule)}" type="${xml(n.category)}">${xml(n.message)}</failure>\n    </testcase>`)
    if (file.error)
      cases.push(`    <testcase classname="${xml(file.path)}" name="parse">\n      <error message="${xml(file.error.message)}">${xml(`${file.path}:${file.error.line}:${file.error.column}: ${file.error.message}`)}</error>\n    </testcase>`)
    const tests = cases.length
    return `  <testsuite name="${xml(file.path)}" tests="${tests}" failures="${failures}" errors="${file.error ? 1 : 0}">\n${cases.join('\n')}\n  </testsuite>`
  })
  const failures = result.files.reduce((n, f) => n + f.statements.filter((s) => s.verdict === 'risky').length, 0)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="koinonia-db lint" tests="${result.summary.statements}" failures="${failures}" errors="${result.summary.errors}">\n${suites.join('\n')}\n</testsuites>\n`
}
