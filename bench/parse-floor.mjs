// The floor under `koinonia-db lint` on one file: a node process that only turns the file into parse
// trees with libpg-query (WASM parse to JSON text, then JSON.parse), with the CLI's V8 settings.
// bench/lint-throughput.mjs runs it next to the CLI and squawk. Usage: node bench/parse-floor.mjs FILE
import v8 from 'node:v8'
import { ONE_SHOT_V8_FLAGS } from '../dist/cli/one-shot-v8-flags.js'
v8.setFlagsFromString(ONE_SHOT_V8_FLAGS)
const { readFileSync } = await import('node:fs')
const { ensureParser, parseStatements } = await import('../dist/linter/parse.js')
await ensureParser()
const { statementTree } = await import('../dist/linter/lazy-statement.js')
const statements = parseStatements(readFileSync(process.argv[2], 'utf8'))
// Each tree is JSON.parsed when the linter reads it, once, and dropped: the same here.
let nodes = 0
for (const statement of statements) if (statementTree(statement)) nodes++
process.stdout.write(`${nodes}\n`)
