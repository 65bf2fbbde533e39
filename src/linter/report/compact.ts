import type { LintResult } from '../types.js'
import { noticeLine } from './notice-line.js'

/**
 * One line per finding in the shape compilers print, `path:line:column: severity: message [rule]`
 * (squawk's gcc reporter, ESLint's compact): what editors' quickfix lists (vim `:cexpr`, Emacs
 * compilation mode) and CI problem matchers read. Nothing else is printed; a file that could not be
 * linted is an error line at its position.
 */
export function formatCompact(result: LintResult): string {
  const out: string[] = []
  for (const file of result.files) {
    if (file.error) out.push(line(file.path, file.error.line || 1, file.error.column || 1, 'error', file.error.message, 'cannot-lint'))
    for (const s of file.statements) for (const f of s.findings) out.push(line(file.path, s.line, s.column, f.severity, f.message, f.rule))
    for (const n of file.notices) out.push(line(file.path, noticeLine(n), 1, n.severity, n.message, n.rule))
  }
  return out.length ? `${out.join('\n')}\n` : ''
}

function line(path: string, lineNo: number, column: number, severity: string, message: string, rule: string): string {
  // One finding, one line: a message never spans lines here.
  return `${path}:${lineNo}:${column}: ${severity}: ${message.replace(/\s*\n\s*/g, ' ')} [${rule}]`
}
