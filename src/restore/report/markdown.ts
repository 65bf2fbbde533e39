import type { DrillResult } from '../types.js'
import { describeTarget, recoveryLine, seconds, sourceLine } from './format.js'
import { markdownCell as cell } from '../../report/markdown-cell.js'

/** Markdown report, for a ticket, a wiki page or a CI job summary. */
export function drillToMarkdown(r: DrillResult): string {
  return [
    `## Restore drill: ${r.verdict === 'pass' ? '✅ pass' : '❌ fail'} (${r.scenario})`,
    '',
    ...(r.reason ? [`**Reason:** ${r.reason}`, ''] : []),
    `- Drill: \`${r.drillId}\`, ${r.startedAt} → ${r.finishedAt}`,
    `- Source: ${sourceLine(r)}`,
    `- Target: ${describeTarget(r.target)}`,
    `- Recovery: ${recoveryLine(r)}`,
    `- RTO: **${r.rtoSeconds} s** (target ${r.targets.rtoSeconds} s) · RPO: **${r.rpoSeconds} s** (target ${r.targets.rpoSeconds} s)`,
    '',
    '| Phase | Time | Detail |',
    '|---|---:|---|',
    ...r.phases.map((p) => `| ${p.name} | ${seconds(p.ms)} | ${cell(p.detail ?? '')} |`),
    '',
    '| Check | OK | Detail |',
    '|---|:---:|---|',
    ...r.checks.map((c) => `| ${cell(c.name)} | ${c.ok ? '✓' : '✗'} | ${cell(c.detail)} |`),
    '',
  ].join('\n')
}
