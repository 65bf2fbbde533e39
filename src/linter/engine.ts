import { makeContext } from './context.js'
import { appliesTo, type Rule, type RuleHit } from './define-rule.js'
import { statementEffects } from './effects.js'
import { readIgnores, type IgnoreDirective } from './ignores.js'
import { blockedBy } from './locks.js'
import { MigrationFacts } from './migration-facts.js'
import type { ColumnTypes } from './column-types.js'
import { parseStatements, scanComments, SourceMap, SqlParseError } from './parse.js'
import { fileNotices } from './file-notices.js'
import { ruleAppliesTo } from './rule-dispatch.js'
import { RULES } from './rules/index.js'
import type { FileReport, Finding, PrismaMode, Severity, StatementReport } from './types.js'

export interface EngineOptions {
  path: string
  pgVersion: number
  prisma: { version: string | null; mode: PrismaMode } | null
  rules?: Record<string, Severity | 'off'>
  /**
   * Column types declared by earlier migrations of the same folder. Read to judge type changes
   * (varchar(50) -> varchar(100) is free, int -> bigint rewrites); updated with this file's changes.
   */
  history?: SchemaHistory
}

/** What one migration leaves for the next one to know. */
export interface SchemaHistory {
  columnTypes: ColumnTypes
}

/**
 * Only the statements that can change a column's type, name or existence, cut at `;` + newline:
 * a history of 160 migrations is read before a pre-commit lint, and indexes, foreign keys and data
 * statements are most of it. A cut inside a string or body makes the parse fail; the caller then
 * parses the whole file.
 */
function schemaStatements(sql: string): string {
  return sql
    .split(/;[ \t]*\r?\n/)
    .filter((chunk) => {
      const text = chunk.replace(/--[^\n]*\n/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trimStart()
      if (/^(CREATE\s+(UNLOGGED\s+)?TABLE|DROP\s+TABLE)\b/i.test(text)) return true
      return /^ALTER\s+TABLE\b/i.test(text) && /\b(COLUMN|RENAME|TYPE|DROP)\b/i.test(text) && !/\bFOREIGN\s+KEY\b/i.test(text)
    })
    .join(';\n')
}

/** Records a migration's schema changes into `history` without judging it (earlier migrations nobody asked to lint). */
export function recordHistory(sql: string, history: SchemaHistory, pgVersion: number): void {
  let statements
  try {
    statements = parseStatements(schemaStatements(sql))
  } catch {
    try {
      statements = parseStatements(sql)
    } catch {
      return
    }
  }
  const facts = new MigrationFacts(history.columnTypes)
  for (const statement of statements) facts.record(statement.stmt, statementEffects(statement.stmt, pgVersion), false)
}

const IGNORE_RULE = 'koinonia-db-ignore'

/** Parses one file and classifies every statement. Never throws for bad SQL: the report carries the error. */
export function lintSource(sql: string, options: EngineOptions): FileReport {
  const report: FileReport = {
    path: options.path,
    kind: options.prisma ? 'prisma' : 'sql',
    prisma: options.prisma,
    statements: [],
    notices: [],
    error: null,
  }
  const map = new SourceMap(sql)
  let statements
  try {
    statements = parseStatements(sql, map)
  } catch (error) {
    if (!(error instanceof SqlParseError)) throw error
    report.error = { message: error.message, line: error.line, column: error.column }
    return report
  }

  const rules = activeRules(options)
  // Rules that can fire on a statement kind, worked out once per kind (see rule-dispatch.ts).
  const rulesByKind = new Map<string, Array<{ rule: Rule; severity: Severity }>>()
  const rulesFor = (kind: string) => {
    let list = rulesByKind.get(kind)
    if (!list) {
      list = rules.filter(({ rule }) => ruleAppliesTo(rule, kind))
      rulesByKind.set(kind, list)
    }
    return list
  }
  const ignores = sql.includes('koinonia-db-ignore') ? readIgnores(scanComments(sql, map), statements) : []
  const facts = new MigrationFacts(options.history?.columnTypes)
  const implicit = options.prisma?.mode === 'single-query'

  for (const statement of statements) {
    const effects = statementEffects(statement.stmt, options.pgVersion)
    const transaction = facts.explicitTransaction ? 'explicit' : implicit ? 'implicit' : 'none'
    const ctx = makeContext({
      pgVersion: options.pgVersion, statement, statements, effects, transaction, prisma: options.prisma, facts,
    })
    const findings: Finding[] = []
    for (const { rule, severity } of rulesFor(statement.kind)) {
      for (const hit of toArray(rule.check(statement.stmt, ctx))) {
        findings.push({ rule: rule.id, category: rule.category, severity: hit.severity ?? severity, message: hit.message, suggestion: hit.suggestion })
      }
    }
    const { kept, ignored } = applyIgnores(findings, ignores, statement.index)
    const entry: StatementReport = {
      index: statement.index,
      line: statement.line,
      column: statement.column,
      endLine: statement.endLine,
      text: statement.text,
      verdict: kept.some((f) => f.category !== 'style') ? 'risky' : 'safe',
      lock: effects.lock,
      table: effects.tableName,
      blocks: blockedBy(effects.lock),
      rewrite: effects.rewrite || kept.some((f) => f.category === 'rewrite'),
      scan: effects.scan,
      findings: kept,
      ignored,
    }
    report.statements.push(entry)
    facts.record(statement.stmt, effects, transaction !== 'none')
  }
  report.notices = [...fileNotices(sql, report), ...ignoreNotices(ignores, new Set(RULES.map((r) => r.id)))]
  return report
}

function activeRules(options: EngineOptions): Array<{ rule: Rule; severity: Severity }> {
  return RULES.filter((rule) => appliesTo(rule, options.pgVersion))
    .map((rule) => ({ rule, setting: options.rules?.[rule.id] ?? rule.severity }))
    .filter((r): r is { rule: Rule; setting: Severity } => r.setting !== 'off')
    .map(({ rule, setting }) => ({ rule, severity: setting }))
}

function toArray(hit: RuleHit | RuleHit[] | undefined | null | false): RuleHit[] {
  if (!hit) return []
  return Array.isArray(hit) ? hit : [hit]
}

function applyIgnores(findings: Finding[], ignores: IgnoreDirective[], index: number) {
  const kept: Finding[] = []
  const ignored: Array<Finding & { reason: string }> = []
  for (const finding of findings) {
    // An ignore without a reason does not silence anything: the reason is the point.
    const directive = ignores.find((d) => d.reason && (d.scope === 'file' || d.scope === index) && d.rules.includes(finding.rule))
    if (directive) {
      directive.used.add(finding.rule)
      ignored.push({ ...finding, reason: directive.reason as string })
    } else kept.push(finding)
  }
  return { kept, ignored }
}

function ignoreNotices(ignores: IgnoreDirective[], known: Set<string>): Finding[] {
  const notices: Finding[] = []
  const notice = (line: number, message: string, suggestion: string) =>
    notices.push({ rule: IGNORE_RULE, category: 'style', severity: 'warning', message: `line ${line}: ${message}`, suggestion })
  for (const d of ignores) {
    if (!d.reason) {
      notice(d.line, `ignore comment for ${d.rules.join(', ')} has no reason, so it silences nothing`,
        `-- koinonia-db-ignore ${d.rules.join(', ')}: <why this is safe here>`)
      continue
    }
    for (const rule of d.rules) {
      if (!known.has(rule)) notice(d.line, `ignore comment names unknown rule "${rule}"`, 'Use a rule id from `koinonia-db rules`.')
      else if (!d.used.has(rule)) notice(d.line, `ignore comment for ${rule} matches no finding`, 'Remove the comment.')
    }
  }
  return notices
}
