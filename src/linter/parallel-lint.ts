import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ColumnTypes } from './column-types.js'
import { emptyReport, finishReport, lintSource, type EngineOptions } from './engine.js'
import { MigrationFacts } from './migration-facts.js'
import { compiledPgParser } from './pg-parser.js'
import { ensureParser, parseRest, parseTree, SourceMap, SqlParseError, statementsOf, type ParsedStatement } from './parse.js'
import { StatementClassifier } from './statement-classifier.js'
import type { FileReport } from './types.js'
import type { WorkerInput, WorkerResult } from './lint-worker.js'

/**
 * Below this size a file is linted on one thread: starting a worker (~50-100 ms with the parser)
 * costs more than it saves. Pre-commit runs lint a few kilobytes.
 */
export const PARALLEL_MIN_BYTES = 512 * 1024

/** The main thread's share of the statements: it also records the first part's facts for the worker, which starts later. */
const MAIN_SHARE = 0.5

const WORKER = new URL('./lint-worker.js', import.meta.url)
// Built code only: run from TypeScript sources (the unit tests), there is no lint-worker.js to start.
const workerAvailable = existsSync(fileURLToPath(WORKER))

/** Whether `lintSourceParallel` would use a second thread for this SQL. */
export function lintsInParallel(sql: string): boolean {
  return workerAvailable && sql.length >= PARALLEL_MIN_BYTES && !sql.includes('koinonia-db-ignore') && splitPoint(sql) > 0
}

/**
 * `lintSource` on two threads, for large files (a squashed schema, a generated migration): the main
 * thread parses and classifies the first part of the file while a worker parses the second; the
 * worker then classifies the second part, starting from the facts (tables created, transaction
 * state, column types...) the first part left. The result is the same report `lintSource` gives,
 * statement for statement.
 *
 * The file is cut right after a `;` that ends a line. That is a statement boundary exactly when the
 * first part parses on its own: a cut inside a string, comment, dollar-quoted body or BEGIN ATOMIC
 * block leaves it unterminated, a parse error. On any parse error the whole file is linted on one
 * thread, so errors are reported exactly as before.
 */
export async function lintSourceParallel(sql: string, options: EngineOptions): Promise<FileReport> {
  if (!lintsInParallel(sql)) return lintSource(sql, options)
  await ensureParser()
  const split = splitPoint(sql)
  const first = sql.slice(0, split)
  const byteOffset = Buffer.byteLength(first, 'utf8')
  const input: WorkerInput = {
    sql, split, byteOffset, parser: compiledPgParser(),
    options: { path: options.path, pgVersion: options.pgVersion, prisma: options.prisma, rules: options.rules },
  }
  const worker = new Worker(WORKER, { workerData: input })
  try {
    const result = new Promise<WorkerResult>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`the lint worker exited (code ${code}) before it finished`)))
    })
    const map = new SourceMap(sql)
    let statements: ParsedStatement[]
    try {
      statements = statementsOf(parseTree(first), map)
    } catch (error) {
      if (error instanceof SqlParseError) return lintSource(sql, options)
      throw error
    }
    const knownTypes = () => ColumnTypes.fromEntries(options.history?.columnTypes.toEntries() ?? [])
    // The worker's starting point: the facts after the first part, recorded without judging.
    const recorder = new StatementClassifier(options, [], [], new MigrationFacts(knownTypes()))
    const effects = statements.map((statement) => recorder.record(statement))
    worker.postMessage({ firstIndex: statements.length, facts: recorder.facts.snapshot() })

    // Rules that look at other statements (a later COMMIT, an earlier rename) get the whole file,
    // parsed here only when one asks.
    let all: ParsedStatement[] | undefined
    const everyStatement = () => (all ??= [...statements, ...parseRest(sql, map, split, byteOffset, statements.length)])
    const classifier = new StatementClassifier(options, everyStatement, [], new MigrationFacts(knownTypes()))
    const report = emptyReport(options)
    try {
      for (let i = 0; i < statements.length; i++) report.statements.push(classifier.classify(statements[i], effects[i]))
    } catch (error) {
      if (error instanceof SqlParseError) return lintSource(sql, options)
      throw error
    }
    const rest = await result
    if (!rest.ok) return lintSource(sql, options)
    for (const statement of rest.statements) report.statements.push(statement)
    if (options.history) options.history.columnTypes = ColumnTypes.fromEntries(rest.columnTypes)
    finishReport(report, sql, [])
    return report
  } finally {
    void worker.terminate()
  }
}

/** Where to cut: right after the first `;` that ends a line past the main thread's share, or -1. */
function splitPoint(sql: string): number {
  const end = /;[ \t]*\r?\n/g
  end.lastIndex = Math.floor(sql.length * MAIN_SHARE)
  const match = end.exec(sql)
  return match ? match.index + 1 : -1
}
