// Lint throughput: statements per second on a generated ~20,000-statement migration, ours (in-process
// API and the CLI end to end) against `squawk --reporter json` on the same file, in the same run.
// Usage: node bench/lint-throughput.mjs [--statements N] [--runs N] [--seed N]
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateMigration } from './generate-migration.mjs'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { statements: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' }, seed: { type: 'string', default: '42' } } })
const COUNT = Number(values.statements)
const RUNS = Number(values.runs)

const { lint } = await import(join(REPO, 'dist/linter/lint.js'))
const squawkBin = join(REPO, 'node_modules/.bin/squawk')

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Runs a process to exit, draining its output; returns wall-clock milliseconds and the output size. */
function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (d) => (bytes += d.length))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      // squawk and koinonia-db both exit 1 when they find something; anything else is a failure.
      if (code !== 0 && code !== 1) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`))
      else resolve({ ms: performance.now() - start, bytes })
    })
  })
}

const dir = mkdtempSync(join(tmpdir(), 'kdb-bench-'))
try {
  const { sql, statements } = generateMigration(COUNT, Number(values.seed))
  const file = join(dir, 'migration.sql')
  writeFileSync(file, sql)
  console.log(`file: ${statements} statements, ${(Buffer.byteLength(sql) / 1024 / 1024).toFixed(2)} MiB (seed ${values.seed}), ${RUNS} runs each, median`)

  // Warm-up: the parser's WASM module compiles once per process.
  await lint('SELECT 1')
  const api = []
  let result
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    result = await lint(sql, { path: file })
    api.push(performance.now() - start)
  }
  const classified = result.files[0].statements.length
  if (result.files[0].error) throw new Error(`our parser rejected the generated file: ${result.files[0].error.message}`)
  if (classified !== statements) throw new Error(`classified ${classified} of ${statements} statements`)

  const cli = []
  const squawk = []
  for (let i = 0; i < RUNS; i++) {
    cli.push((await timed(process.execPath, [join(REPO, 'dist/cli/main.js'), 'lint', '--format', 'json', file])).ms)
    squawk.push((await timed(squawkBin, ['--reporter', 'json', file])).ms)
  }
  const rate = (ms) => statements / (ms / 1000)
  const rows = [
    ['koinonia-db lint() in-process', median(api)],
    ['koinonia-db lint --format json (CLI, process start to exit)', median(cli)],
    ['squawk --reporter json (process start to exit)', median(squawk)],
  ]
  for (const [name, ms] of rows) console.log(`${name.padEnd(62)} ${ms.toFixed(0).padStart(6)} ms  ${Math.round(rate(ms)).toLocaleString('en-US').padStart(9)} statements/s`)
  console.log(`risky: ${result.summary.risky} of ${statements} statements`)
  const ratioCli = median(squawk) / median(cli)
  const ratioApi = median(squawk) / median(api)
  console.log(`ratio (ours / squawk throughput): CLI ${ratioCli.toFixed(2)}x, in-process ${ratioApi.toFixed(2)}x`)
  mkdirSync(join(REPO, 'bench/out'), { recursive: true })
  writeFileSync(join(REPO, 'bench/out/lint-throughput.json'), `${JSON.stringify({
    date: new Date().toISOString(), statements, runs: RUNS,
    ms: { api: median(api), cli: median(cli), squawk: median(squawk) },
    statementsPerSecond: { api: rate(median(api)), cli: rate(median(cli)), squawk: rate(median(squawk)) },
    ratio: { cli: ratioCli, api: ratioApi },
  }, null, 2)}\n`)
  if (ratioCli < 1) {
    console.error('FAIL: the CLI is slower than squawk on the same file')
    process.exitCode = 1
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
