import { parseArgsOptions } from '../../config/flag-spec.js'
import { RULES_FLAGS } from '../../config/flags/rules-flags.js'
import { UsageError } from '../../errors.js'
import type { Rule } from '../../linter/define-rule.js'
import type { CliCommand } from '../command.js'
import { readFlags } from '../read-flags.js'
import { ruleDetail, versionRange } from '../render/rule-detail.js'

export const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'List the lint rules: id, category, severity, Postgres versions and what each catches',
  usage: [
    'koinonia-db rules [--format pretty|json] [--pg-version N]   (--pg-version: only the rules that apply to that version)',
    'koinonia-db rules <rule-id ...> [--format pretty|json]       (each rule explained: why, the safe alternative, examples)',
  ].join('\n'),
  options: parseArgsOptions(RULES_FLAGS),
  async run(values, positionals, io) {
    // --pg-version, else the config's pgVersion: the rules that apply to the project's Postgres.
    const { options } = await readFlags(RULES_FLAGS, values, io.cwd)
    const { format, pgVersion: pg } = options
    const [{ RULES }, { appliesTo }] = await Promise.all([import('../../linter/rules/index.js'), import('../../linter/define-rule.js')])
    if (positionals.length) {
      const chosen = positionals.map((id) => {
        const rule = RULES.find((r) => r.id === id)
        if (!rule) throw new UsageError('KDB_UNKNOWN_RULE', `unknown rule "${id}"`, { hint: 'Run `koinonia-db rules` for the rule ids.' })
        return rule
      })
      if (format === 'json') {
        // The list's entry, and what the rule's page adds.
        const list = chosen.map((r) => ({ ...ruleEntry(r), why: r.docs.why, bad: r.docs.bad, good: r.docs.good }))
        io.stdout.write(`${JSON.stringify({ version: 1, rules: list }, null, 2)}\n`)
      } else io.stdout.write(`${chosen.map(ruleDetail).join('\n\n')}\n`)
      return 0
    }
    const rules = RULES.filter((r) => pg === undefined || appliesTo(r, pg))
    if (format === 'json') {
      const list = rules.map(ruleEntry)
      io.stdout.write(`${JSON.stringify({ version: 1, rules: list }, null, 2)}\n`)
      return 0
    }
    const idWidth = Math.max(2, ...rules.map((r) => r.id.length))
    const catWidth = Math.max(8, ...rules.map((r) => r.category.length))
    const lines = [`${'id'.padEnd(idWidth)}  ${'category'.padEnd(catWidth)}  severity  postgres  summary`]
    for (const r of rules) lines.push(`${r.id.padEnd(idWidth)}  ${r.category.padEnd(catWidth)}  ${r.severity.padEnd(8)}  ${versionRange(r).padEnd(8)}  ${r.docs.summary}`)
    lines.push('', 'koinonia-db rules <rule-id> explains one: why, the safe alternative, examples.')
    io.stdout.write(`${lines.join('\n')}\n`)
    return 0
  },
}

/** A rule in `rules --format json`. */
function ruleEntry(r: Rule) {
  return { id: r.id, category: r.category, severity: r.severity, summary: r.docs.summary, safeAlternative: r.docs.safeAlternative, pg: { min: r.pg?.min ?? null, max: r.pg?.max ?? null } }
}
