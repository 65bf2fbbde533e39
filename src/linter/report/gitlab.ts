import { createRequire } from 'node:module'
import type { Finding, LintResult } from '../types.js'
import { noticeLine } from './notice-line.js'

/**
 * GitLab's Code Quality report (`artifacts: reports: codequality:`), the merge-request widget's
 * input: https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format. One entry
 * per finding, notice and file that could not be linted.
 *
 * GitLab tells new findings from old ones by `fingerprint`, comparing the branch's report with the
 * target branch's. A fingerprint is made of the file, the rule and the statement's text, not of its
 * line, so a finding stays the same one when lines above it move; a second identical statement in
 * the same file gets its own.
 */
export interface CodeQualityIssue {
  description: string
  check_name: string
  fingerprint: string
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker'
  location: { path: string; lines: { begin: number; end?: number } }
}

export function toCodeQuality(result: LintResult): CodeQualityIssue[] {
  const issues: CodeQualityIssue[] = []
  for (const file of result.files) {
    const seen = new Map<string, number>()
    /** The same text in the same file: numbered in file order. */
    const fingerprint = (...parts: string[]) => {
      const key = [file.path, ...parts].join('\0')
      const n = (seen.get(key) ?? 0) + 1
      seen.set(key, n)
      return sha256(`${key}\0${n}`)
    }
    if (file.error) {
      issues.push({
        description: `Not linted: ${file.error.message}`,
        check_name: 'koinonia-db/cannot-lint',
        fingerprint: fingerprint('cannot-lint', file.error.message),
        severity: 'blocker',
        location: { path: file.path, lines: { begin: file.error.line || 1 } },
      })
    }
    for (const s of file.statements) {
      for (const f of s.findings) {
        issues.push({
          description: `${f.message}\nSafe alternative:\n${f.suggestion}`,
          check_name: `koinonia-db/${f.rule}`,
          fingerprint: fingerprint(f.rule, s.text.replace(/\s+/g, ' ')),
          severity: severityOf(f),
          location: { path: file.path, lines: s.endLine > s.line ? { begin: s.line, end: s.endLine } : { begin: s.line } },
        })
      }
    }
    for (const n of file.notices) {
      issues.push({
        description: `${n.message}\n${n.suggestion}`,
        check_name: `koinonia-db/${n.rule}`,
        fingerprint: fingerprint(n.rule, n.message),
        severity: severityOf(n),
        location: { path: file.path, lines: { begin: noticeLine(n) } },
      })
    }
  }
  return issues
}

export function formatGitlab(result: LintResult): string {
  return `${JSON.stringify(toCodeQuality(result), null, 2)}\n`
}

/** What blocks a safe deploy is critical; a warning minor; a style suggestion information. */
function severityOf(f: Finding): CodeQualityIssue['severity'] {
  if (f.category === 'style') return 'info'
  return f.severity === 'error' ? 'critical' : 'minor'
}

// Loaded when this format is asked for: node:crypto takes 3–6 ms to load, which every other lint run
// would pay.
const require = createRequire(import.meta.url)
function sha256(text: string): string {
  return (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(text).digest('hex')
}
