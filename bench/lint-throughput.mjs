// Lint throughput: statements per second on a generated ~20,000-statement migration, ours (in-process
// API and the CLI end to end) against `squawk --reporter json` on the same file, in the same run.
// Usage: node bench/lint-throughput.mjs [--statements N] [--runs N (default 7: this machine's speed drifts)] [--seed N]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateMigration } from './generate-migration.mjs'
import { machineLoad, median, runTimed } from './measure.mjs'
import { squawkBin } from './squawk.mjs'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { statements: { type: 'string', default: '20000' }, runs: { type: 'string', default: '7' }, seed: { type: 'string', default: '42' } } })
const COUNT = Number(values.statements)
const RUNS = Number(values.runs)

const { lint } = await import(join(REPO, 'dist/linter/lint.js'))
const { IDLE_CORES } = await import(join(REPO, 'dist/linter/second-core.js'))
const squawkPath = squawkBin()

const dir = mkdtempSync(join(tmpdir(), 'kdb-bench-'))
try {
  const { sql, statements } = generateMigration(COUNT, Number(values.seed))
  // Each file in a folder of its own: files in one folder are one migration history, each linted
  // after the schema the earlier ones leave (schema-history.ts). A `migration.sql` straight in the
  // temp folder would make the system temp folder its history (every *.sql lying there).
  mkdirSync(join(dir, 'single'))
  const file = join(dir, 'single', 'bench.sql')
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

  // The same generator at twice the size: the difference between the two files' times is the cost
  // of 20,000 more statements with each tool's fixed costs (process start, parser compile) taken out.
  const double = generateMigration(2 * COUNT, Number(values.seed))
  mkdirSync(join(dir, 'double'))
  const doubleFile = join(dir, 'double', 'bench.sql')
  writeFileSync(doubleFile, double.sql)
  const cli = []
  const squawk = []
  const floor = []
  const cliDouble = []
  const squawkDouble = []
  console.log(`before: ${machineLoad()}`)
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so a busy moment on the machine hits both alike.
    cli.push(await runTimed(process.execPath, [join(REPO, 'dist/cli/main.cjs'), 'lint', '--format', 'json', file]))
    squawk.push(await runTimed(squawkPath, ['--reporter', 'json', file]))
    floor.push(await runTimed(process.execPath, [join(REPO, 'bench/parse-floor.mjs'), file]))
    cliDouble.push(await runTimed(process.execPath, [join(REPO, 'dist/cli/main.cjs'), 'lint', '--format', 'json', doubleFile]))
    squawkDouble.push(await runTimed(squawkPath, ['--reporter', 'json', doubleFile]))
  }
  const m = {
    api: { wallMs: median(api), cpuMs: null },
    cli: { wallMs: median(cli.map((r) => r.wallMs)), cpuMs: median(cli.map((r) => r.cpuMs)) },
    squawk: { wallMs: median(squawk.map((r) => r.wallMs)), cpuMs: median(squawk.map((r) => r.cpuMs)) },
    floor: { wallMs: median(floor.map((r) => r.wallMs)), cpuMs: median(floor.map((r) => r.cpuMs)) },
  }
  const rate = (ms) => statements / (ms / 1000)
  const rows = [
    ['koinonia-db lint() in-process', m.api],
    ['koinonia-db lint --format json (CLI, spawn to exit)', m.cli],
    ['squawk --reporter json (spawn to exit)', m.squawk],
    ['floor: node + libpg-query parse only (spawn to exit)', m.floor],
  ]
  for (const [name, r] of rows) {
    const cpu = r.cpuMs === null ? '' : `   cpu ${r.cpuMs.toFixed(0).padStart(6)} ms ${Math.round(rate(r.cpuMs)).toLocaleString('en-US').padStart(8)} statements/cpu-s`
    console.log(`${name.padEnd(54)} wall ${r.wallMs.toFixed(0).padStart(6)} ms ${Math.round(rate(r.wallMs)).toLocaleString('en-US').padStart(8)} statements/s${cpu}`)
  }
  console.log(`after: ${machineLoad()}`)
  // src/linter/second-core.ts: files this large are parsed on two threads only while a core is idle.
  console.log(`note: the CLI parses a file >= 512 KiB on two threads only while other processes left at least ${IDLE_CORES} of the ${availableParallelism()} cores idle (besides its own) since the bin started (the linter was imported, in-process)`)
  console.log(`risky: ${result.summary.risky} of ${statements} statements`)
  const ratioCli = m.squawk.wallMs / m.cli.wallMs
  // Each CLI run beside the squawk run right after it: this machine's speed drifts by up to a third
  // within minutes, which moves both medians; the ratio of neighbouring runs cancels the drift.
  const pairedCli = median(cli.map((r, i) => squawk[i].wallMs / r.wallMs))
  const ratioApi = m.squawk.wallMs / m.api.wallMs
  const ratioCpu = m.cli.cpuMs && m.squawk.cpuMs ? m.squawk.cpuMs / m.cli.cpuMs : null
  console.log(`ratio ours/squawk throughput: CLI ${ratioCli.toFixed(2)}x wall (of the medians; ${pairedCli.toFixed(2)}x the median of neighbouring runs' ratios)${ratioCpu ? `, ${ratioCpu.toFixed(2)}x cpu` : ''}; in-process ${ratioApi.toFixed(2)}x wall`)
  // Parsing alone, in a fresh process, is the most a CLI built on libpg-query's WASM parser can reach.
  const extra = double.statements - statements
  const marginal = {
    cliMs: median(cliDouble.map((r) => r.wallMs)) - m.cli.wallMs,
    squawkMs: median(squawkDouble.map((r) => r.wallMs)) - m.squawk.wallMs,
  }
  console.log(`marginal (the ${extra.toLocaleString('en-US')} more statements of a ${double.statements.toLocaleString('en-US')}-statement file, fixed costs out): CLI ${Math.round(rate(marginal.cliMs) * extra / statements).toLocaleString('en-US')} statements/s, squawk ${Math.round(rate(marginal.squawkMs) * extra / statements).toLocaleString('en-US')} statements/s, ratio ${(marginal.squawkMs / marginal.cliMs).toFixed(2)}x (supplementary: the target is the CLI ratio on the ~${statements.toLocaleString('en-US')}-statement file)`)
  console.log(`ratio floor/squawk throughput: ${(m.squawk.wallMs / m.floor.wallMs).toFixed(2)}x wall (the CLI spends ${(m.floor.wallMs / m.cli.wallMs * 100).toFixed(0)}% of its time there)`)
  mkdirSync(join(REPO, 'bench/out'), { recursive: true })
  writeFileSync(join(REPO, 'bench/out/lint-throughput.json'), `${JSON.stringify({
    date: new Date().toISOString(), load: machineLoad(), statements, runs: RUNS, median: m,
    marginal: { statements: extra, ...marginal },
    ratio: { cliWall: ratioCli, cliWallPaired: pairedCli, cliCpu: ratioCpu, apiWall: ratioApi, floorWall: m.squawk.wallMs / m.floor.wallMs, marginalWall: marginal.squawkMs / marginal.cliMs },
  }, null, 2)}\n`)
  // Both estimates must say so.
  if (Math.min(ratioCli, pairedCli) < 1) {
    console.error('FAIL: the CLI is slower than squawk on the same file')
    process.exitCode = 1
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
