import { junitDocument, type JunitCase } from '../../report/junit-xml.js'
import type { LintResult } from '../types.js'

/**
 * JUnit XML (GitLab, CircleCI, Jenkins show it natively): a test suite per file, a test case per
 * statement; a risky statement is a failure, a file that cannot be parsed an error.
 */
export function formatJunit(result: LintResult): string {
  const suites = result.files.map((file) => {
    const cases: JunitCase[] = file.statements.map((s) => {
      const risky = s.findings.filter((f) => f.category !== 'style')
      const c: JunitCase = { classname: file.path, name: `line ${s.line}: ${s.text.split('\n')[0].slice(0, 100)}` }
      if (risky.length)
        c.failure = {
          message: risky.map((f) => f.rule).join(', '),
          type: risky[0].category,
          body: `${file.path}:${s.line}:${s.column}\n${risky.map((f) => `${f.rule} (${f.category}): ${f.message}\nSafe alternative:\n${f.suggestion}`).join('\n\n')}`,
        }
      return c
    })
    for (const n of file.notices.filter((x) => x.severity === 'error'))
      cases.push({ classname: file.path, name: n.rule, failure: { message: n.rule, type: n.category, body: n.message } })
    if (file.error)
      cases.push({ classname: file.path, name: 'parse', error: { message: file.error.message, body: `${file.path}:${file.error.line}:${file.error.column}: ${file.error.message}` } })
    return { name: file.path, cases }
  })
  return junitDocument('koinonia-db lint', suites)
}
