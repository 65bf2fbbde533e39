// The floor under `koinonia-db lint` on one file: a node process that only turns the file into parse
// trees with libpg-query (WASM parse to JSON text, then JSON.parse), with the CLI's V8 settings.
// bench/lint-throughput.mjs runs it next to the CLI and squawk. Usage: node bench/parse-floor.mjs FILE
import v8 from 'node:v8'
v8.setFlagsFromString('--liftoff-only --interrupt-budget=2000000')
const { readFileSync } = await import('node:fs')
const { ensureParser, parseStatements } = await import('../dist/linter/parse.js')
await ensureParser()
const statements = parseStatements(readFileSync(process.argv[2], 'utf8'))
process.stdout.write(`${statements.length}\n`)
