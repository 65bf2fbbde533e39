// Template clone vs full restore, for a snapshot of at least 1 GB generated with SQL: what `verify`
// saves on every run after the first by cloning the restored snapshot (CREATE DATABASE ... TEMPLATE)
// instead of running pg_restore again. Same server, same run. Prints the times and the ratios.
// Needs `npm run build` first; takes a few minutes. Usage: node bench/clone-vs-restore.mjs [--gb 1.1] [--provider P] [--jobs N]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import pg from 'pg'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: {
  gb: { type: 'string', default: '1.1' }, provider: { type: 'string' }, jobs: { type: 'string', default: String(availableParallelism()) },
} })
const { startPostgres, restoreDump, freezeTemplate } = await import(join(REPO, 'dist/index.js'))
const { clientTool } = await import(join(REPO, 'dist/postgres/binaries.js'))

const server = await startPostgres({ provider: values.provider, pgMajor: 15, label: 'bench-clone',
  settings: { max_wal_size: "'4GB'", checkpoint_timeout: "'30min'", maintenance_work_mem: "'256MB'" } })
const folder = mkdtempSync(join(tmpdir(), 'koinonia-bench-clone-'))
process.once('SIGINT', () => { rmSync(folder, { recursive: true, force: true }); server.stop().finally(() => process.exit(130)) })
const time = async (fn) => { const t0 = performance.now(); await fn(); return performance.now() - t0 }
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const query = async (url, sql) => { const c = new pg.Client({ connectionString: url }); await c.connect(); try { return await c.query(sql) } finally { await c.end() } }
const dirSize = (p) => statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + dirSize(join(p, f)), 0) : statSync(p).size

try {
  console.log(`Postgres ${server.serverVersion} (${server.provider}), target ${values.gb} GB, pg_restore --jobs ${values.jobs}`)
  const source = await server.createDatabase('bench_source')
  // A messaging-like table: ~190 bytes per row with its indexes; rows scale to the size wanted.
  const rows = Math.round((Number(values.gb) * 1024 ** 3) / 190)
  const generate = await time(async () => {
    await query(source, `CREATE TABLE church (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO church SELECT g, 'church ' || g FROM generate_series(1, 1000) g;
      CREATE TABLE message (id bigint PRIMARY KEY, church_id int NOT NULL REFERENCES church(id), body text NOT NULL, sent_at timestamptz NOT NULL);`)
    for (let from = 1; from <= rows; from += 2_000_000)
      await query(source, `INSERT INTO message SELECT g, 1 + g % 1000, 'message ' || g || ' ' || repeat('hello from church ', 4), timestamptz '2024-01-01' + g * interval '1 second'
        FROM generate_series(${from}, ${Math.min(rows, from + 1_999_999)}) g`)
    await query(source, `CREATE INDEX message_church_sent_idx ON message (church_id, sent_at)`)
    await query(source, `VACUUM ANALYZE`)
  })
  const size = Number((await query(source, `SELECT pg_database_size(current_database()) AS s`)).rows[0].s)
  console.log(`generated ${rows} rows, database ${mb(size)} in ${(generate / 1000).toFixed(1)} s`)

  const dump = join(folder, 'snapshot.dir')
  const pgDump = clientTool('pg_dump', server.clientBindir, 15)
  const dumpMs = await time(async () => execFileSync(pgDump, ['--format=directory', '--jobs', values.jobs, '--compress=1', '--file', dump, '--dbname', source]))
  console.log(`pg_dump (directory, --jobs ${values.jobs}): ${(dumpMs / 1000).toFixed(1)} s, ${mb(dirSize(dump))}`)
  await server.dropDatabase('bench_source')

  await server.createDatabase('bench_restored')
  const restoreMs = await time(() => restoreDump(server, 'bench_restored', dump, { jobs: Number(values.jobs) }))
  console.log(`full pg_restore --jobs ${values.jobs}: ${(restoreMs / 1000).toFixed(1)} s`)
  await freezeTemplate(server, 'bench_restored')

  const clones = {}
  for (const strategy of ['wal_log', 'file_copy']) {
    clones[strategy] = await time(() => server.createDatabase(`bench_clone_${strategy}`, { template: 'bench_restored', strategy }))
    console.log(`template clone (STRATEGY ${strategy.toUpperCase()}): ${(clones[strategy] / 1000).toFixed(2)} s — ${(restoreMs / clones[strategy]).toFixed(1)}x faster than the restore`)
    await server.dropDatabase(`bench_clone_${strategy}`)
  }
  const restoredSize = Number((await query(server.url, `SELECT pg_database_size('bench_restored') AS s`)).rows[0].s)
  console.log(`snapshot ${mb(restoredSize)}: restore ${(restoreMs / 1000).toFixed(1)} s, clone ${(Math.min(...Object.values(clones)) / 1000).toFixed(2)} s (best strategy)`)
} finally {
  rmSync(folder, { recursive: true, force: true })
  await server.stop()
}
