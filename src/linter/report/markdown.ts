import type { LintResult, StatementReport } from '../types.js'
import { failsGate } from '../gate.js'
import { markdownCell as cell } from '../../report/markdown-cell.js'

function firstLine(s: StatementReport): string {
  const line = s.text.split('\n')[0]
  return line.length > 80 ? `${line.slice(0, 77)}...` : line
}

/** A PR comment / job summary: a verdict line, then every risky statement with its lock and the safe alternative. */
export function formatMarkdown(result: LintResult): string {
  const { files, statements, risky, errors } = result.summary
  const gateFails = failsGate(result)
  const out = [
    `### koinonia-db lint: ${gateFails ? '❌ fails' : '✅ passes'}`,
    '',
    `${files} file(s), ${statements} statement(s), **${risky} risky**${errors ? `, ${errors} could not be linted` : ''}.`,
    '',
  ]
  for (const file of result.files) {
    const riskyStatements = file.statements.filter((s) => s.verdict === 'risky')
    const problems = file.notices.filter((n) => n.severity === 'error')
    if (!file.error && riskyStatements.length === 0 && problems.length === 0) continue
    out.push(`#### \`${file.path}\``, '')
    if (file.error) out.push(`- ⚠️ line ${file.error.line}:${file.error.column}: ${file.error.message}`, '')
    for (const p of problems) out.push(`- ❌ **${p.rule}**: ${p.message}`)
    if (problems.length) out.push('')
    if (riskyStatements.length) {
      out.push('| line | statement | lock | blocks | rewrite | rule | message |', '|---|---|---|---|---|---|---|')
      for (const s of riskyStatements) {
        for (const f of s.findings.filter((x) => x.category !== 'style')) {
          out.push(`| ${s.line} | \`${cell(firstLine(s))}\` | ${s.lock ?? '—'} | ${s.blocks.join(', ') || '—'} | ${s.rewrite ? 'yes' : 'no'} | \`${f.rule}\` | ${cell(f.message)} |`)
        }
      }
      out.push('')
      for (const s of riskyStatements) {
        const f = s.findings.find((x) => x.category !== 'style')
        if (!f) continue
        out.push(`<details><summary>line ${s.line}: safe alternative (${f.rule})</summary>`, '', '```sql', f.suggestion, '```', '', '</details>', '')
      }
    }
  }
  return `${out.join('\n')}\n`
}
