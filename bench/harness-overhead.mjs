// Harness overhead: the same migrations applied (a) with bare `psql -f` per file and (b) through the
// verify harness's observed replay (lint + Prisma-faithful apply + per-statement lock/rewrite/scan
// observation + _prisma_migrations bookkeeping), on the same server in the same run, each into a fresh
// database. Prints per project the time of each path and the ratio harness / psql.
// Projects: the real Prisma histories in ../shared/corpora/prisma (from an empty database) and the
// fixture project on a synthetic snapshot (its pending migrations over --rows rows per table).
// Needs `npm run build` first. Usage: node bench/harness-overhead.mjs [--provider P] [--rows N] [--runs N]
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import pg from 'pg'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: {
  corpora: { type: 'string', default: resolve(REPO, '../shared/corpora/prisma') },
  provider: { type: 'string' },
  rows: { type: 'string', default: '10000' },
  runs: { type: 'string', default: '3' },
} })
const RUNS = Number(values.runs)
const { discoverMigrations, startPostgres, loadSnapshot, cloneTemplate, planMigrations, readAppliedMigrations, splitStatements, loadSqlParser } =
  await import(join(REPO, 'dist/index.js'))
const { replayMigrations } = await import(join(REPO, 'dist/snapshot/replay.js'))
const { clientTool } = await import(join(REPO, 'dist/postgres/binaries.js'))

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
await loadSqlParser()
const server = await startPostgres({ provider: values.provider, pgMajor: 15, label: 'bench-harness' })
process.once('SIGINT', () => { server.stop().finally(() => process.exit(130)) })
const psql = clientTool('psql', server.clientBindir, 15)
let n = 0

async function connect(url) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return client
}

/** Bare psql, one process per file, stop at the first error: what a hand-rolled deploy script does. */
function applyWithPsql(url, migrations) {
  const t0 = performance.now()
  for (const m of migrations) {
    const r = spawnSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', m.upPath], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`psql failed on ${m.name}: ${r.stderr}`)
  }
  return performance.now() - t0
}

async function applyWithHarness(url, project, migrations, rowsOf) {
  const client = await connect(url)
  const side = await connect(url)
  try {
    const t0 = performance.now()
    const result = await replayMigrations(client, side, project, migrations, { pgVersion: 15, rowsOf, slowMs: 1000 })
    const ms = performance.now() - t0
    const failed = result.migrations.find((m) => m.status !== 'applied')
    if (failed) throw new Error(`harness: ${failed.name} ${failed.status}: ${failed.error?.message}`)
    return ms
  } finally {
    await client.end()
    await side.end()
  }
}

/** Runs both paths RUNS times, each on a fresh copy of `template` (or an empty database). */
async function measure(label, project, migrations, template, rowsOf) {
  const times = { psql: [], harness: [] }
  for (let i = 0; i < RUNS; i++) {
    for (const path of ['psql', 'harness']) {
      const name = `bench_${path}_${n++}`
      const url = template ? (await server.createDatabase(name, { template })) : await server.createDatabase(name)
      times[path].push(path === 'psql' ? applyWithPsql(url, migrations) : await applyWithHarness(url, project, migrations, rowsOf))
      await server.dropDatabase(name)
    }
  }
  const statements = migrations.reduce((s, m) => s + splitStatements(m.upSql, m.upPath).length, 0)
  const [p, h] = [median(times.psql), median(times.harness)]
  console.log(`${label.padEnd(34)} ${String(migrations.length).padStart(4)} migr ${String(statements).padStart(5)} stmts   psql ${p.toFixed(0).padStart(6)} ms   harness ${h.toFixed(0).padStart(6)} ms   ratio ${(h / p).toFixed(2)}x`)
  return { label, migrations: migrations.length, statements, psqlMs: p, harnessMs: h, ratio: h / p }
}

try {
  console.log(`Postgres ${server.serverVersion} (${server.provider}), median of ${RUNS} run(s) per path`)
  const results = []
  if (existsSync(values.corpora)) {
    for (const name of readdirSync(values.corpora, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      const project = await discoverMigrations({ cwd: join(values.corpora, name), migrationsDir: 'migrations' })
      results.push(await measure(`${name} (empty database)`, project, project.migrations, null, () => 0))
    }
  }
  const fixture = await discoverMigrations({ cwd: join(REPO, 'fixtures/prisma-app') })
  const snapshot = await loadSnapshot(server, { project: fixture, rows: Number(values.rows), seed: 1 })
  const clone = await cloneTemplate(server, snapshot.template)
  const probe = await connect(clone.url)
  const pending = planMigrations(fixture, await readAppliedMigrations(probe, fixture)).pending
  const rows = Object.fromEntries((await probe.query(`SELECT relname, n_live_tup FROM pg_stat_user_tables`)).rows.map((r) => [r.relname, Number(r.n_live_tup)]))
  await probe.end()
  await server.dropDatabase(clone.name)
  results.push(await measure(`prisma-app (${values.rows} rows/table)`, fixture, pending, snapshot.template, (t) => rows[t] ?? Number(values.rows)))
  const total = results.reduce((a, r) => ({ p: a.p + r.psqlMs, h: a.h + r.harnessMs }), { p: 0, h: 0 })
  console.log(`overall: harness ${total.h.toFixed(0)} ms vs psql ${total.p.toFixed(0)} ms = ${(total.h / total.p).toFixed(2)}x`)
} finally {
  await server.stop()
}
