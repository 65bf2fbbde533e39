import { parentPort, workerData } from 'node:worker_threads'
import type { ColumnTypes } from './column-types.js'
import type { EngineOptions } from './engine.js'
import { MigrationFacts, type FactsSnapshot } from './migration-facts.js'
import { loadPgParser, type CompiledParser } from './pg-parser.js'
import { parseTree, SourceMap, statementsOf, type ParsedStatement } from './parse.js'
import { StatementClassifier } from './statement-classifier.js'
import type { StatementReport } from './types.js'

/** What parallel-lint.ts gives the worker: the whole file and where its part starts. */
export interface WorkerInput {
  sql: string
  /** Character index where the worker's part starts (right after a `;`). */
  split: number
  byteOffset: number
  parser: CompiledParser
  options: Pick<EngineOptions, 'path' | 'pgVersion' | 'prisma' | 'rules'>
}

export type WorkerResult =
  | { ok: true; statements: StatementReport[]; columnTypes: ReturnType<ColumnTypes['toEntries']> }
  /** The worker's part does not parse on its own: the caller lints the file on one thread. */
  | { ok: false }

const input = workerData as WorkerInput
const port = parentPort
if (!port) throw new Error('lint-worker.js runs as a worker thread of parallel-lint.ts')

// Parse while the main thread parses and records its part; classify once its facts arrive.
const started = new Promise<{ firstIndex: number; facts: FactsSnapshot }>((resolve) => port.once('message', resolve))
await loadPgParser(input.parser)
let tree
try {
  tree = parseTree(' '.repeat(input.byteOffset) + input.sql.slice(input.split))
} catch {
  port.postMessage({ ok: false } satisfies WorkerResult)
}
if (tree) {
  const { firstIndex, facts } = await started
  const map = new SourceMap(input.sql)
  const statements = statementsOf(tree, map, firstIndex, input.byteOffset)
  let all: ParsedStatement[] | undefined
  const everyStatement = () => (all ??= [...statementsOf(parseTree(input.sql.slice(0, input.split)), map), ...statements])
  const classifier = new StatementClassifier(input.options, everyStatement, [], MigrationFacts.restore(facts))
  const reports = statements.map((statement) => classifier.classify(statement))
  port.postMessage({ ok: true, statements: reports, columnTypes: classifier.facts.columnTypes.toEntries() } satisfies WorkerResult)
}
