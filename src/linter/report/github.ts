import type { LintResult } from '../types.js'
import { noticeLine } from './notice-line.js'

/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`), which the runner turns
 * into annotations on the pull request. Escaping follows the runner's rules
 * (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts): in the message
 * % CR LF are percent-encoded; in property values also : and ,.
 */
export function formatGithub(result: LintResult): string {
  const out: string[] = []
  for (const file of result.files) {
    if (file.error) {
      out.push(command('error', { file: file.path, line: file.error.line || 1, col: file.error.column || 1, title: 'koinonia-db: cannot lint' }, file.error.message))
      continue
    }
    for (const s of file.statements) {
      for (const f of s.findings) {
        const level = f.severity === 'error' ? 'error' : 'warning'
        const props = { file: file.path, line: s.line, endLine: s.endLine, col: s.column, title: `koinonia-db ${f.rule}` }
        out.push(command(level, props, `${f.message}\nSafe alternative: ${f.suggestion}`))
      }
    }
    for (const n of file.notices) {
      out.push(command('warning', { file: file.path, line: noticeLine(n), title: `koinonia-db ${n.rule}` }, `${n.message}\n${n.suggestion}`))
    }
  }
  const { files, statements, risky, errors } = result.summary
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  out.push(`koinonia-db: ${plural(statements, 'statement')} in ${plural(files, 'file')}, ${risky} risky${errors ? `, ${errors} not linted` : ''}`)
  return `${out.join('\n')}\n`
}

function command(level: 'error' | 'warning', props: Record<string, string | number>, message: string): string {
  const list = Object.entries(props).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')
  return `::${level} ${list}::${escapeData(message)}`
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
