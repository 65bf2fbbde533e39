import type { VerifyResult } from './types.js'

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()
const short = (text: string, n = 60) => (text.length > n ? `${text.slice(0, n - 1)}…` : text)

/** A pull-request comment: the verdict and reasons up top, per-statement details in a table. */
export function renderVerifyMarkdown(result: VerifyResult): string {
  const out: string[] = []
  out.push(`### koinonia-db verify: ${result.verdict === 'pass' ? '✅ pass' : '❌ fail'}`, '')
  out.push(`${result.migrations.length} pending migration(s) replayed on Postgres ${result.pgVersion} against a ${result.snapshot.kind} snapshot` +
    `${result.snapshot.kind === 'synthetic' ? ` (${result.snapshot.rows} rows per table, seed ${result.snapshot.seed})` : ''}.`, '')
  if (result.reasons.length) {
    out.push('**Why it failed**', '')
    for (const r of result.reasons) out.push(`- ${cell(r)}`)
    out.push('')
  }
  out.push('| Migration | # | Statement | ms | Locks | Rewrote | Linter | Observed |', '|---|---|---|---|---|---|---|---|')
  for (const m of result.migrations) {
    if (!m.statements.length) out.push(`| ${m.name} | | _${m.status}_${m.error ? `: ${cell(m.error.message)}` : ''} | | | | | |`)
    for (const s of m.statements)
      out.push(`| ${m.name} | ${s.index + 1} | \`${cell(short(s.text))}\` | ${s.durationMs ?? ''} | ${cell(s.locks.join(', '))} | ${s.rewrote.join(', ')} | ${s.predicted ?? ''} | ${s.observed ?? ''}${s.disagreements.length ? ' ⚠️' : ''} |`)
    if (m.error && m.statements.length) out.push(`| ${m.name} | ${(m.error.statementIndex ?? 0) + 1} | **failed**: ${cell(m.error.message)} | | | | | |`)
  }
  out.push('')
  if (result.dataLoss.length) {
    out.push('**Data loss**', '', '| Table | Column | Values | Migration | Declared |', '|---|---|---|---|---|')
    for (const d of result.dataLoss) out.push(`| ${d.table} | ${d.column ?? '(rows)'} | ${d.values} | ${d.migration ?? ''} | ${d.declared ? 'yes' : 'no'} |`)
    out.push('')
  }
  if (result.load) {
    const worst = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1])[0]
    const [r, w] = [worst(result.load.readBlockedMs), worst(result.load.writeBlockedMs)]
    out.push(`**Under load**: readers blocked up to ${result.load.maxReadBlockedMs} ms${r ? ` (on ${r[0]})` : ''}, writers up to ${result.load.maxWriteBlockedMs} ms${w ? ` (on ${w[0]})` : ''}.`, '')
  }
  const rb = result.rollback
  out.push(rb.ran ? `**Rollback**: schema ${rb.schemaMatches ? 'matches ✅' : 'differs ❌'}, data ${rb.dataMatches ? 'matches ✅' : 'differs ❌'}` : `**Rollback**: not run (${rb.skippedReason})`)
  const notes = result.migrations.flatMap((m) => m.statements.flatMap((s) => s.disagreements.map((d) => `${m.name} #${s.index + 1}: ${d}`)))
  if (notes.length) out.push('', '<details><summary>Linter vs observed</summary>', '', ...notes.map((n) => `- ${cell(n)}`), '', '</details>')
  return `${out.join('\n')}\n`
}
