import { emptyFileReport } from './empty-report.js'
import { statementEffects } from './effects.js'
import { readIgnores, type IgnoreDirective } from './ignores.js'
import { MigrationFacts } from './migration-facts.js'
import { ColumnTypes } from './column-types.js'
import { markContractOrdered } from './contract-order.js'
import { parseStatements, parseWhole, scanComments, SourceMap, SqlParseError } from './parse.js'
import { startTailParse, worthASecondThread } from './parse-tail.js'
import { arraySource, StatementStream, WholeParseNeeded, type StatementSource } from './statement-stream.js'
import { fileNotices } from './file-notices.js'
import { byteOrderMark } from './source-encoding.js'
import { statementTree } from './lazy-statement.js'
import { RULES } from './rules/index.js'
import { StatementClassifier } from './statement-classifier.js'
import { forgetStatementValues } from './rule-helpers.js'
import type { FileReport, Finding, PrismaMode, Severity } from './types.js'

export interface EngineOptions {
  path: string
  pgVersion: number
  prisma: { version: string | null; mode: PrismaMode } | null
  rules?: Record<string, Severity | 'off'>
  /** The file runs inside one transaction its migration tool opens (LintOptions.assumeInTransaction). */
  assumeInTransaction?: boolean
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
  for (const statement of statements) {
    // Read once and dropped, as when linting (lazy-statement.ts): a history is read before every pre-commit run.
    const stmt = statementTree(statement)
    facts.record(stmt, statementEffects(stmt, pgVersion), false)
  }
}

const IGNORE_RULE = 'koinonia-db-ignore'

/**
 * Parses one file and classifies every statement. Never throws for bad SQL: the report carries the
 * error. `cuts`: where a worker's parts of a large file start (parse-tail.ts); by default when a core
 * is idle, null for never.
 */
export function lintSource(sql: string, options: EngineOptions, cuts?: number[] | null): FileReport {
  const bom = byteOrderMark(sql)
  if (bom) return { ...emptyFileReport(options.path, options.prisma), error: bom }
  // The worker first: it starts while this thread maps the file's lines.
  const tail = cuts !== null && (cuts !== undefined || worthASecondThread(sql)) ? startTailParse(sql, cuts) : null
  const map = new SourceMap(sql)
  const stream = tail && StatementStream.begin(sql, map, tail)
  if (stream) {
    // Classified while the worker parses the rest; if the rest does not parse, this file's
    // changes must not reach the history the next files are judged by.
    const before = options.history?.columnTypes.toEntries()
    try {
      return classifyFile(sql, map, stream, options)
    } catch (error) {
      if (!(error instanceof WholeParseNeeded)) throw error
      if (options.history && before) options.history.columnTypes = ColumnTypes.fromEntries(before)
    } finally {
      stream.close()
    }
  }
  let statements
  try {
    statements = parseWhole(sql, map)
  } catch (error) {
    return unparsable(error, options)
  }
  return classifyFile(sql, map, arraySource(statements), options)
}

function unparsable(error: unknown, options: EngineOptions): FileReport {
  if (!(error instanceof SqlParseError)) throw error
  return { ...emptyFileReport(options.path, options.prisma), error: { message: error.message, line: error.line, column: error.column } }
}

function classifyFile(sql: string, map: SourceMap, statements: StatementSource, options: EngineOptions): FileReport {
  const report = emptyFileReport(options.path, options.prisma)
  const ignores = sql.includes('koinonia-db-ignore') ? readIgnores(scanComments(sql, map), statements.all()) : []
  const classifier = new StatementClassifier(options, statements, ignores, new MigrationFacts(options.history?.columnTypes, options.assumeInTransaction))
  try {
    for (let i = 0; statements.has(i); i++) report.statements.push(classifier.classify(statements.at(i)))
  } finally {
    forgetStatementValues()
  }
  markContractOrdered(report.statements)
  finishReport(report, sql, ignores)
  return report
}

/** File-level notices, once every statement is classified. */
function finishReport(report: FileReport, sql: string, ignores: IgnoreDirective[]): void {
  report.notices = [...fileNotices(sql, report), ...ignoreNotices(ignores, new Set(RULES.map((r) => r.id)))]
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
