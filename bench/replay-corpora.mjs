// Replays the four real Prisma histories in ../shared/corpora/prisma/* from an empty database, each in a
// fresh database, through koinonia-db's Prisma-faithful runner (one query per file, as Prisma < 7.4;
// and the per-statement observable path the harness uses), and the same files with bare `psql -f` in the
// same run, on the same server. Prints per-project time, statements/s and the harness overhead ratio.
// Exits 1 if any migration fails. Not part of `npm test`. Needs `npm run build` first.
// Usage: node bench/replay-corpora.mjs [--corpora DIR] [--runs N] [--project NAME] [--down]
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: {
  corpora: { type: 'string', default: resolve(REPO, '../shared/corpora/prisma') },
  runs: { type: 'string', default: '3' },
  down: { type: 'boolean', default: false },
  project: { type: 'string' },
} })
const RUNS = Number(values.runs)
const { discoverMigrations, migrateToLatest, splitStatements, loadSqlParser } = await import(join(REPO, 'dist/index.js'))
const { startPostgres } = await import(join(REPO, 'dist/postgres/index.js'))
const pg = { default: (await import('pg')).default }

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const projects = readdirSync(values.corpora, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  .filter((name) => !values.project || name === values.project)
const psql = ['/usr/lib/postgresql/15/bin/psql', '/usr/bin/psql'].find(existsSync)

await loadSqlParser()
let db = 0
let failures = 0
const rows = []
const server = await startPostgres({ provider: 'system', pgMajor: 15, label: 'bench-replay' })
// Node 20 has no `await using` in plain JavaScript: stop the server on every way out.
process.once('SIGINT', () => { server.stop().finally(() => process.exit(130)) })
try {
console.error(`PostgreSQL ${server.serverVersion} (${server.provider}), ${RUNS} run(s) per path, median reported`)
for (const name of projects) {
  const project = await discoverMigrations({ cwd: join(values.corpora, name), migrationsDir: 'migrations' })
  const statements = project.migrations.reduce((n, m) => n + splitStatements(m.upSql, m.upPath).length, 0)
  const time = async (label, run) => {
    const ms = []
    for (let i = 0; i < RUNS; i++) {
      const url = await server.createDatabase(`replay_${++db}`)
      const t0 = performance.now()
      const error = await run(url)
      ms.push(performance.now() - t0)
      if (error) { failures++; console.error(`${name} [${label}]: ${error}`); break }
    }
    return median(ms)
  }
  const viaRunner = (strategy) => async (url) => {
    const result = await migrateToLatest(url, project, strategy ? { strategy } : {})
    const failed = result.results.find((r) => r.status === 'failed')
    return failed ? `${failed.migration} failed: ${failed.error.message} (line ${failed.error.line})` : null
  }
  const oneQuery = await time('one query per file', viaRunner(null))
  const perStatement = await time('per statement, in a transaction', viaRunner('transaction'))
  const barePg = await time('bare pg, one query per file', async (url) => {
    const client = new pg.default.Client({ connectionString: url })
    await client.connect()
    try {
      for (const m of project.migrations) await client.query(m.upSql)
      return null
    } catch (error) {
      return error.message
    } finally {
      await client.end()
    }
  })
  const bare = await time('psql -f', async (url) => {
    for (const m of project.migrations) {
      const out = spawnSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', m.upPath], { encoding: 'utf8' })
      if (out.status !== 0) return `${m.name}: ${out.stderr.trim()}`
    }
    return null
  })
  rows.push({ name, migrations: project.migrations.length, statements, oneQuery, perStatement, barePg, bare })
}

} finally {
  await server.stop()
}

const pad = (s, n) => String(s).padStart(n)
const cols = [
  ['project', 12], ['migrations', 11], ['statements', 11], ['1-query ms', 11], ['stmt/s', 8], ['per-stmt ms', 12], ['stmt/s', 8],
  ['bare pg ms', 11], ['stmt/s', 8], ['psql -f ms', 11], ['stmt/s', 8], ['1q/pg', 7], ['ps/pg', 7], ['1q/psql', 8],
]
const line = (r) => {
  const rate = (ms) => Math.round(r.statements / (ms / 1000))
  return [r.name, r.migrations, r.statements, r.oneQuery.toFixed(0), rate(r.oneQuery), r.perStatement.toFixed(0), rate(r.perStatement),
    r.barePg.toFixed(0), rate(r.barePg), r.bare.toFixed(0), rate(r.bare), (r.oneQuery / r.barePg).toFixed(2), (r.perStatement / r.barePg).toFixed(2),
    (r.oneQuery / r.bare).toFixed(2)].map((v, i) => i === 0 ? String(v).padEnd(cols[i][1]) : pad(v, cols[i][1])).join('')
}
console.log(cols.map(([h, n], i) => i === 0 ? h.padEnd(n) : pad(h, n)).join(''))
for (const r of rows) console.log(line(r))
const sum = (k) => rows.reduce((n, r) => n + r[k], 0)
console.log(line({ name: 'total', migrations: sum('migrations'), statements: sum('statements'), oneQuery: sum('oneQuery'),
  perStatement: sum('perStatement'), barePg: sum('barePg'), bare: sum('bare') }))
if (failures) { console.error(`${failures} replay(s) failed`); process.exitCode = 1 }

// --down: the generated (and self-checked) down script of every migration of every corpus, with one walk
// through each history (generateDowns): schema after the down script == schema before the migration.
if (values.down) {
  const { generateDowns } = await import(join(REPO, 'dist/migrations/index.js'))
  const server2 = await startPostgres({ provider: 'system', pgMajor: 15, label: 'bench-down' })
  process.once('SIGINT', () => { server2.stop().finally(() => process.exit(130)) })
  let checked = 0
  const bad = []
  const t0 = performance.now()
  try {
    for (const name of projects) {
      const project = await discoverMigrations({ cwd: join(values.corpora, name), migrationsDir: 'migrations' })
      for (const down of await generateDowns(server2.url, project, project.migrations)) {
        checked++
        if (!down.verified) bad.push({ name: `${name}/${down.migration}`, problems: down.differences })
      }
    }
  } finally {
    await server2.stop()
  }
  console.log(`\ngenerated down scripts: ${checked - bad.length}/${checked} give back the previous schema (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  for (const b of bad) console.log(`  ${b.name}: ${b.problems.slice(0, 3).join(' | ').slice(0, 400)}`)
  if (bad.length) process.exitCode = 1
}
