// Pre-commit latency: one migration linted by the CLI, process start to exit, median of N runs.
// Limit: 400 ms. Printed next to the floor (a bare `node -e ""`) and squawk on the same file.
// Usage: node bench/precommit.mjs [--runs N] [--limit MS]
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateMigration } from './generate-migration.mjs'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' }, limit: { type: 'string', default: '400' } } })
const RUNS = Number(values.runs)
const LIMIT = Number(values.limit)

function time(cmd, args, cwd) {
  const start = performance.now()
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = performance.now() - start
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return ms
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const dir = mkdtempSync(join(tmpdir(), 'kdb-precommit-'))
try {
  // A typical Prisma migration: a dozen statements in prisma/migrations/<ts>_<name>/migration.sql.
  const migration = join(dir, 'prisma/migrations/20250101000000_add_orders')
  mkdirSync(migration, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', devDependencies: { prisma: '6.5.0' } }))
  const { sql, statements } = generateMigration(12, 7)
  writeFileSync(join(migration, 'migration.sql'), sql)
  const file = join(migration, 'migration.sql')
  const cli = join(REPO, 'dist/cli/main.js')

  const ours = []
  const floor = []
  const squawk = []
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so a busy moment on the machine hits all three alike.
    ours.push(time(process.execPath, [cli, 'lint', file], dir))
    floor.push(time(process.execPath, ['-e', ''], dir))
    squawk.push(time(join(REPO, 'node_modules/.bin/squawk'), [file], dir))
  }
  const m = { ours: median(ours), floor: median(floor), squawk: median(squawk) }
  console.log(`one Prisma migration (${statements} statements), ${RUNS} runs, median wall time from spawn to exit:`)
  console.log(`  koinonia-db lint           ${m.ours.toFixed(0).padStart(5)} ms   (limit ${LIMIT} ms)`)
  console.log(`  node -e "" (the floor)     ${m.floor.toFixed(0).padStart(5)} ms   ours = floor + ${(m.ours - m.floor).toFixed(0)} ms`)
  console.log(`  squawk                     ${m.squawk.toFixed(0).padStart(5)} ms   ratio ours/squawk ${(m.ours / m.squawk).toFixed(2)}`)
  mkdirSync(join(REPO, 'bench/out'), { recursive: true })
  writeFileSync(join(REPO, 'bench/out/precommit.json'), `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, statements, medianMs: m, limitMs: LIMIT }, null, 2)}\n`)
  if (m.ours > LIMIT) {
    console.error(`FAIL: ${m.ours.toFixed(0)} ms is over the ${LIMIT} ms limit`)
    process.exitCode = 1
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
