import { parseArgsOptions } from '../../config/flag-spec.js'
import { RULES_FLAGS } from '../../config/flags/rules-flags.js'
import type { CliCommand } from '../command.js'
import { readFlags } from '../read-flags.js'

export const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'List the lint rules: id, category, severity, Postgres versions and what each catches',
  usage: 'koinonia-db rules [--format pretty|json] [--pg-version N]   (--pg-version: only the rules that apply to that version)',
  options: parseArgsOptions(RULES_FLAGS),
  async run(values, _positionals, io) {
    // --pg-version, else the config's pgVersion: the rules that apply to the project's Postgres.
    const { options } = await readFlags(RULES_FLAGS, values, io.cwd)
    const { format, pgVersion: pg } = options
    const [{ RULES }, { appliesTo }] = await Promise.all([import('../../linter/rules/index.js'), import('../../linter/define-rule.js')])
    const rules = RULES.filter((r) => pg === undefined || appliesTo(r, pg))
    if (format === 'json') {
      const list = rules.map((r) => ({
        id: r.id, category: r.category, severity: r.severity, summary: r.docs.summary,
        safeAlternative: r.docs.safeAlternative, pg: { min: r.pg?.min ?? null, max: r.pg?.max ?? null },
      }))
      io.stdout.write(`${JSON.stringify({ version: 1, rules: list }, null, 2)}\n`)
      return 0
    }
    const idWidth = Math.max(2, ...rules.map((r) => r.id.length))
    const catWidth = Math.max(8, ...rules.map((r) => r.category.length))
    const lines = [`${'id'.padEnd(idWidth)}  ${'category'.padEnd(catWidth)}  severity  postgres  summary`]
    for (const r of rules) {
      const { min, max } = r.pg ?? {}
      const range = min && max ? `${min}-${max}` : min ? `${min}+` : max ? `<=${max}` : 'all'
      lines.push(`${r.id.padEnd(idWidth)}  ${r.category.padEnd(catWidth)}  ${r.severity.padEnd(8)}  ${range.padEnd(8)}  ${r.docs.summary}`)
    }
    io.stdout.write(`${lines.join('\n')}\n`)
    return 0
  },
}
