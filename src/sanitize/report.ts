import type { CoverageResult } from './coverage.js'
import type { SanitizeReport } from './report-types.js'
import type { Origin } from './types.js'

export const REPORT_FORMATS = ['pretty', 'json', 'markdown'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

const where = (o?: Origin) => (o?.file ? `${o.file}${o.line ? `:${o.line}` : ''}` : o?.via ? `via ${o.via}` : '')
const n = (x: number) => Math.round(x).toLocaleString('en-US')

/** The audit report: pretty for a terminal, JSON (one document, contract version 1) or Markdown. */
export function renderReport(report: SanitizeReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  const md = format === 'markdown'
  const out: string[] = []
  out.push(md ? `# Sanitize report: ${report.ok ? 'clean' : 'FAILED'}` : `koinonia-db sanitize: ${report.ok ? 'clean' : 'FAILED'}`)
  out.push(`${md ? '\n' : ''}target ${report.target} · key ${report.keySource === 'env' ? 'from environment (deterministic)' : 'random for this run'} · ${(report.durationMs / 1000).toFixed(1)} s`)
  for (const p of report.problems) out.push(`${md ? '- ' : '  ✗ '}${p.message}${where(p.origin) ? ` (${where(p.origin)})` : ''} [${p.code}]`)
  for (const u of report.unclassified) out.push(`${md ? '- ' : '  ✗ '}unclassified column ${u.table}.${u.column}: add a rule or \`keep\``)
  for (const s of report.stale) out.push(`${md ? '- ' : '  ✗ '}rule for ${s.table}${s.column ? `.${s.column}` : ''} names nothing in the database (${where(s.origin)})`)
  if (md) out.push('', '| table | column | rule | status | rows | masked | nulls kept | unique | rows/s | MiB/s |', '|---|---|---|---|---:|---:|---:|---|---:|---:|')
  for (const t of report.tables) {
    const speed = t.durationMs ? `${n(t.rowsPerSecond)} rows/s, ${t.mibPerSecond.toFixed(1)} MiB/s` : ''
    if (!md) out.push(`  ${t.status === 'failed' ? '✗' : '✓'} ${t.name} ${t.status} (${t.method}) ${n(t.rows)} rows ${speed}${t.error ? `\n      ${t.error.message} [${t.error.code}]` : ''}`)
    for (const c of t.columns.filter((c) => c.rule !== 'keep')) {
      if (md) out.push(`| ${t.name} | ${c.name} | ${c.rule} | ${t.status} | ${n(t.rows)} | ${n(c.masked)} | ${n(c.nullsKept)} | ${c.unique} | ${n(t.rowsPerSecond)} | ${t.mibPerSecond.toFixed(1)} |`)
      else out.push(`      ${c.name}: ${c.rule}${c.origin?.source === 'foreign-key' || c.origin?.source === 'reference' ? ` (follows ${c.origin.via})` : ''}, ${n(c.masked)} masked, ${n(c.nullsKept)} null kept${c.unique !== 'not-unique' ? `, unique ${c.unique}` : ''}`)
    }
  }
  out.push(md ? '\n## Leak scan' : '  leak scan:')
  if (!report.scan.ran) out.push(`${md ? '' : '    '}not run`)
  else out.push(`${md ? '' : '    '}${n(report.scan.fingerprints)} fingerprints, ${report.scan.columnsScanned} text/JSON columns, ${(report.scan.durationMs / 1000).toFixed(1)} s: ${report.leaks.length ? `${report.leaks.length} leak(s)` : 'no leak'}`)
  for (const l of report.leaks) out.push(`${md ? '- ' : '    ✗ '}${l.table}.${l.column} row ${l.key}: ${l.kind}`)
  return `${out.join('\n')}\n`
}

export function renderCoverage(result: CoverageResult, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify({ version: 1, ...result }, null, 2)}\n`
  const out = [result.ok ? 'sanitize check: every column is masked or kept' : 'sanitize check: FAILED']
  for (const u of result.unclassified) out.push(`  ✗ ${u.table}.${u.column}: unclassified; add a rule or \`keep\``)
  for (const s of result.stale) out.push(`  ✗ ${where(s.origin)}: rule for ${s.table}${s.column ? `.${s.column}` : ''} names nothing in the database; remove it`)
  for (const p of result.problems) out.push(`  ✗ ${where(p.origin) ? `${where(p.origin)}: ` : ''}${p.message} [${p.code}]`)
  return `${out.join('\n')}\n`
}
