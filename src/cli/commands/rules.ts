import { UsageError } from '../../errors.js'
import type { CliCommand } from '../command.js'

export const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'List the lint rules: id, category, severity, Postgres versions and what each catches',
  usage: 'koinonia-db rules [--format pretty|json] [--pg-version N]   (--pg-version: only the rules that apply to that version)',
  options: {
    format: { type: 'string', default: 'pretty' },
    'pg-version': { type: 'string' },
  },
  async run(values, _positionals, io) {
    const format = values.format as string
    if (format !== 'pretty' && format !== 'json')
      throw new UsageError('KDB_FORMAT', `unknown format "${format}" for rules`, { hint: 'Use --format pretty or --format json.' })
    const pg = values['pg-version'] as string | undefined
    if (pg !== undefined && !/^\d+$/.test(pg))
      throw new UsageError('KDB_PG_VERSION', `--pg-version must be a Postgres major version, got "${pg}"`, { hint: 'Use a major version from 11 to 18.' })
    const [{ RULES }, { appliesTo }] = await Promise.all([import('../../linter/rules/index.js'), import('../../linter/define-rule.js')])
    const rules = RULES.filter((r) => pg === undefined || appliesTo(r, Number(pg)))
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
