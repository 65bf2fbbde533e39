import type { Rule } from '../../linter/define-rule.js'

/** The Postgres versions a rule applies to, as the rule list shows them: `all`, `12+`, `<=11`, `11-14`. */
export function versionRange(rule: Rule): string {
  const { min, max } = rule.pg ?? {}
  return min && max ? `${min}-${max}` : min ? `${min}+` : max ? `<=${max}` : 'all'
}

/** One rule explained on a terminal (`koinonia-db rules <id>`): what docs/rules/<id>.md says. */
export function ruleDetail(rule: Rule): string {
  const { docs } = rule
  const lines = [
    `${rule.id}  (${rule.category}, ${rule.severity}, ${rule.pg ? `Postgres ${versionRange(rule)}` : 'every Postgres version'})`,
    '',
    docs.summary,
    '',
    'Why:',
    indent(docs.why),
    '',
    'Safe alternative:',
    indent(docs.safeAlternative),
  ]
  if (docs.bad) lines.push('', 'Fires on:', indent(docs.bad))
  if (docs.good) lines.push('', 'Passes:', indent(docs.good))
  return lines.join('\n')
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n')
}
