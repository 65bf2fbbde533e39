// Pre-commit latency: one migration linted by the CLI, process start to exit, median of N runs.
// Limit: 400 ms. Printed next to the floor (a bare `node -e ""`) and squawk on the same file.
// A second case lints the newest migration of a real 163-migration history (documenso, from
// ../shared/corpora/prisma) when it is there: earlier migrations of the folder are read for context.
// Usage: node bench/precommit.mjs [--runs N] [--limit MS]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateMigration } from './generate-migration.mjs'
import { machineLoad, median, runTimed } from './measure.mjs'
import { squawkBin } from './squawk.mjs'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' }, limit: { type: 'string', default: '400' } } })
const RUNS = Number(values.runs)
const LIMIT = Number(values.limit)

const dir = mkdtempSync(join(tmpdir(), 'kdb-precommit-'))
try {
  // A typical Prisma migration: a dozen statements in prisma/migrations/<ts>_<name>/migration.sql.
  const migration = join(dir, 'prisma/migrations/20250101000000_add_orders')
  mkdirSync(migration, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', devDependencies: { prisma: '6.5.0' } }))
  const { sql, statements } = generateMigration(12, 7)
  const file = join(migration, 'migration.sql')
  writeFileSync(file, sql)
  const cli = join(REPO, 'dist/cli/main.cjs')

  const history = join(REPO, '../shared/corpora/prisma/documenso/migrations')
  const newest = existsSync(history)
    ? join(history, readdirSync(history, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().pop(), 'migration.sql')
    : null

  const runs = { ours: [], floor: [], squawk: [], history: [] }
  console.log(`before: ${machineLoad()}`)
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so a busy moment on the machine hits all of them alike.
    runs.ours.push(await runTimed(process.execPath, [cli, 'lint', file], { cwd: dir }))
    runs.floor.push(await runTimed(process.execPath, ['-e', ''], { cwd: dir }))
    runs.squawk.push(await runTimed(squawkBin(), [file], { cwd: dir }))
    if (newest) runs.history.push(await runTimed(process.execPath, [cli, 'lint', newest], { cwd: dir }))
  }
  if (!newest) delete runs.history
  const m = Object.fromEntries(Object.entries(runs).map(([k, list]) => [k, { wallMs: median(list.map((r) => r.wallMs)), cpuMs: median(list.map((r) => r.cpuMs)) }]))
  const row = (name, r, extra) => console.log(`  ${name.padEnd(30)} ${r.wallMs.toFixed(0).padStart(5)} ms wall ${r.cpuMs === null ? '' : `${r.cpuMs.toFixed(0).padStart(5)} ms cpu`}   ${extra}`)
  console.log(`one Prisma migration (${statements} statements), ${RUNS} runs, median from spawn to exit:`)
  row('koinonia-db lint', m.ours, `(limit ${LIMIT} ms wall)`)
  row('node -e "" (the floor)', m.floor, `ours = floor + ${(m.ours.wallMs - m.floor.wallMs).toFixed(0)} ms`)
  row('squawk', m.squawk, `ratio ours/squawk ${(m.ours.wallMs / m.squawk.wallMs).toFixed(2)} wall`)
  if (m.history) row('lint, 163-migration history', m.history, `(documenso's newest migration; limit ${LIMIT} ms wall)`)
  console.log(`after: ${machineLoad()}`)
  mkdirSync(join(REPO, 'bench/out'), { recursive: true })
  writeFileSync(join(REPO, 'bench/out/precommit.json'), `${JSON.stringify({ date: new Date().toISOString(), load: machineLoad(), runs: RUNS, statements, median: m, limitMs: LIMIT }, null, 2)}\n`)
  for (const key of ['ours', 'history']) {
    if (m[key] && m[key].wallMs > LIMIT) {
      console.error(`FAIL: ${key === 'ours' ? 'one migration' : 'one migration in a long history'}: ${m[key].wallMs.toFixed(0)} ms is over the ${LIMIT} ms limit`)
      process.exitCode = 1
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
