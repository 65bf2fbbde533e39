import type { DrillResult } from '../types.js'
import { describeTarget, recoveryLine, seconds, sourceLine } from './format.js'

/** Human report for a terminal (stderr). */
export function drillToPretty(r: DrillResult, options: { color?: boolean } = {}): string {
  const paint = (code: number, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s)
  const verdict = r.verdict === 'pass' ? paint(32, 'PASS') : paint(31, 'FAIL')
  const lines = [
    `Restore drill ${r.drillId} (${r.scenario}): ${verdict}`,
    ...(r.reason ? [`  reason    ${r.reason}`] : []),
    `  source    ${sourceLine(r)}`,
    `  target    ${describeTarget(r.target)}`,
    `  recovery  ${recoveryLine(r)}`,
    `  RTO       ${r.rtoSeconds} s (target ${r.targets.rtoSeconds} s)    RPO ${r.rpoSeconds} s (target ${r.targets.rpoSeconds} s)`,
    `  phases    ${r.phases.map((p) => `${p.name} ${seconds(p.ms)}`).join(' · ')}`,
    '  checks',
    ...r.checks.map((c) => `    ${c.ok ? paint(32, '✓') : paint(31, '✗')} ${c.name}: ${c.detail}`),
  ]
  if (r.kept) lines.push(`  kept      ${r.kept.url} (data ${r.kept.dataDir}); stop with: pg_ctl -D ${r.kept.dataDir} stop, then remove its folder`)
  return `${lines.join('\n')}\n`
}
