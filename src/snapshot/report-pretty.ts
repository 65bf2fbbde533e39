import type { StatementResult, VerifyResult } from './types.js'

const first = (text: string, width = 70) => {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > width ? `${line.slice(0, width - 1)}…` : line
}

function statementLine(s: StatementResult): string {
  const facts = [
    s.durationMs !== null ? `${s.durationMs} ms` : null,
    s.locks.length ? s.locks.join(', ') : null,
    s.rewrote.length ? `rewrote ${s.rewrote.map((t) => `"${t}"`).join(', ')}` : null,
    s.scanned.length ? `scanned ${s.scanned.map((t) => `"${t}"`).join(', ')}` : null,
  ].filter(Boolean)
  return `    ${String(s.index + 1).padStart(2)}. ${first(s.text)}\n        ${s.observed ?? '?'} (linter: ${s.predicted ?? '?'})${facts.length ? ` · ${facts.join(' · ')}` : ''}`
}

/** The report for a terminal: verdict first, then what failed and why, then the details. */
export function renderVerifyPretty(result: VerifyResult): string {
  const out: string[] = []
  const mark = result.verdict === 'pass' ? 'PASS' : 'FAIL'
  out.push(`koinonia-db verify: ${mark} — ${result.migrations.length} pending migration(s) on Postgres ${result.pgVersion} (${result.provider})`)
  const snap = result.snapshot
  out.push(`snapshot: ${snap.kind}${snap.source ? ` ${snap.source}` : ''}${snap.kind === 'synthetic' ? ` (${snap.rows} rows per table, seed ${snap.seed})` : ''} · loaded in ${snap.loadMs} ms · template clone ${snap.cloneMs} ms`)
  if (result.reasons.length) {
    out.push('', 'The gate failed because:')
    for (const r of result.reasons) out.push(`  ✗ ${r}`)
  }
  out.push('', 'Migrations:')
  for (const m of result.migrations) {
    out.push(`  ${m.status === 'applied' ? '✓' : m.status === 'failed' ? '✗' : '-'} ${m.name} (${m.status}${m.durationMs !== null ? `, ${Math.round(m.durationMs)} ms` : ''})`)
    for (const s of m.statements) {
      out.push(statementLine(s))
      for (const d of s.disagreements) out.push(`        ! ${d}`)
    }
    if (m.error) out.push(`    error${m.error.line ? ` at line ${m.error.line}` : ''}: ${m.error.message}${m.error.statement ? `\n      in: ${first(m.error.statement)}` : ''}`)
  }
  if (result.dataLoss.length) {
    out.push('', 'Data loss:')
    for (const d of result.dataLoss)
      out.push(`  ${d.declared ? '(declared) ' : ''}${d.column ? `"${d.table}"."${d.column}": ${d.values} values` : `"${d.table}": ${d.values} rows`}${d.migration ? ` — ${d.migration}` : ''}`)
  }
  const changed = result.tables.filter((t) => t.status !== 'unchanged')
  out.push('', `Tables: ${result.tables.length - changed.length} unchanged${changed.length ? `, ${changed.length} changed:` : ''}`)
  for (const t of changed) out.push(`  ${t.name}: ${t.status}, rows ${t.rowsBefore} → ${t.rowsAfter ?? '-'}${t.droppedColumns.length ? `, dropped ${t.droppedColumns.join(', ')}` : ''}${t.changedColumns.length ? `, changed ${t.changedColumns.join(', ')}` : ''}${t.renamedTo ? ` → ${t.renamedTo}` : ''}`)
  if (result.load) out.push('', `Load: readers blocked up to ${result.load.maxReadBlockedMs} ms, writers up to ${result.load.maxWriteBlockedMs} ms (${result.load.reads} reads, ${result.load.writes} writes)`)
  const rb = result.rollback
  out.push('', rb.ran
    ? `Rollback: schema ${rb.schemaMatches ? 'matches' : 'DIFFERS'}, data ${rb.dataMatches ? 'matches' : 'DIFFERS'} (${rb.migrations.map((m) => `${m.name}: ${m.source}${m.status === 'failed' ? ' failed' : ''}`).join(', ')})`
    : `Rollback: not run (${rb.skippedReason})`)
  for (const d of [...rb.schemaDifferences, ...rb.dataDifferences].slice(0, 10)) out.push(`  - ${d}`)
  out.push('', `Took ${Math.round(result.timings.totalMs)} ms (provision ${Math.round(result.timings.provisionMs)}, snapshot ${Math.round(result.timings.snapshotMs)}, replay ${Math.round(result.timings.replayMs)}, rollback ${Math.round(result.timings.rollbackMs)})`)
  return `${out.join('\n')}\n`
}
