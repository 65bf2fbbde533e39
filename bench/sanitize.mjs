// Sanitize throughput against its peers, in the same run, on the same server and data:
//   1. CREATE TABLE AS SELECT with exactly the SQL expressions the sanitizer uses (+ the same indexes);
//   2. a plain COPY out | COPY in pipe of the same table (moving the bytes, no masking);
//   3. `runSanitize` in place, timed as a whole around the call (connect, catalog, plan, counts,
//      fingerprints of originals, collision check, ALTER … USING rewrite with index rebuild, foreign
//      keys, state, commit, ANALYZE; the leak scan only with --scan, and then reported apart), in a
//      child process whose peak RSS is recorded.
// Target: sanitize rows/s ≥ 80% of CTAS rows/s; peak RSS flat from --rss-rows to --rows.
// Usage: node bench/sanitize.mjs [--rows 10000000] [--rss-rows 1000000] [--unique-check before|rebuild] [--scan] [--jobs N] [--serial]
//        (--serial: the sanitize run's session gets max_parallel_workers_per_gather = 0, so its
//        fingerprint pass runs on one core like the CTAS baseline; by default Postgres may use workers)
//        (--jobs: connections of runSanitize; one table is masked on one, the leak scan splits it over N)
//        (without --unique-check, the library's default)
//        (build first: npm run build, or KDB_DIST=<outDir>)
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import copyStreams from 'pg-copy-streams'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const DIST = process.env.KDB_DIST ?? join(REPO, 'dist')
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' }, 'rss-rows': { type: 'string', default: '1000000' },
    'unique-check': { type: 'string' }, scan: { type: 'boolean', default: false }, serial: { type: 'boolean', default: false },
    child: { type: 'string' }, rules: { type: 'string' }, jobs: { type: 'string', default: '1' },
  },
})
const KEY = 'bench-key-0123456789abcdef-0123456789'
const env = { ...process.env, KOINONIA_SANITIZE_KEY: KEY }

const RULES = {
  version: 1,
  tables: { people: { id: 'keep', email: 'email', phone: 'phone', full_name: 'name', api_token: { strategy: 'hash', keep_prefix: 8 }, role: 'keep', created_at: 'keep' } },
}

if (values.child) {
  // Child: one sanitize run; its peak RSS is the number that must stay flat.
  const { runSanitize } = await import(join(DIST, 'sanitize/run.js'))
  const started = performance.now()
  const report = await runSanitize({ target: values.child, rules: values.rules, env, jobs: Number(values.jobs), uniqueCheck: values['unique-check'], noScan: !values.scan })
  const wallS = (performance.now() - started) / 1000
  process.stdout.write(JSON.stringify({ report, wallS, maxRssMiB: process.resourceUsage().maxRSS / 1024 }))
  process.exit(0)
}

const { startPostgres } = await import(join(DIST, 'postgres/index.js'))
const { prepareSession } = await import(join(DIST, 'sanitize/sql-functions.js'))
const { resolveKey } = await import(join(DIST, 'sanitize/key.js'))
const { readCatalog } = await import(join(DIST, 'sanitize/catalog.js'))
const { buildPlan } = await import(join(DIST, 'sanitize/plan.js'))
const { rulesFromConfig } = await import(join(DIST, 'sanitize/rules.js'))

const work = mkdtempSync(join(tmpdir(), 'koinonia-bench-sanitize-'))
const rulesFile = join(work, 'rules.json')
writeFileSync(rulesFile, JSON.stringify(RULES))
const pgHandle = await startPostgres({
  provider: 'system', pgMajor: 15, label: 'bench-sanitize',
  settings: { shared_buffers: '2GB', maintenance_work_mem: '1GB', work_mem: '256MB', max_wal_size: '32GB', checkpoint_timeout: '1h', synchronous_commit: 'off' },
})
const time = async (fn) => { const t = performance.now(); await fn(); return (performance.now() - t) / 1000 }
const { connectClient } = await import(join(DIST, 'postgres/client.js'))
const connect = (url) => connectClient({ connectionString: url })
const fmt = (x) => Math.round(x).toLocaleString('en-US')

async function measure(rows) {
  const url = await pgHandle.createDatabase(`bench_${rows}`)
  const c = await connect(url)
  const gen = await time(() => c.query(`
    CREATE TABLE people (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, phone text, full_name text NOT NULL, api_token text, role text NOT NULL, created_at timestamptz NOT NULL);
    INSERT INTO people SELECT g, 'member' || g || '@' || (ARRAY['gmail.com','yahoo.com','church.org'])[1 + g % 3],
      '+1 (512) ' || lpad((g % 1000)::text, 3, '0') || '-' || lpad((g % 10000)::text, 4, '0'),
      (ARRAY['Ruth','Peter','Lydia','Silas'])[1 + g % 4] || ' ' || (ARRAY['Okafor','Lindqvist','Haddad'])[1 + g % 3] || ' ' || g,
      CASE WHEN g % 2 = 0 THEN 'sk_live_' || md5(g::text) END, (ARRAY['admin','member'])[1 + g % 2], timestamptz '2020-01-01' + g * interval '1 second'
    FROM generate_series(1, ${rows}) g`).then(() => c.query('VACUUM ANALYZE people')))
  const bytes = Number((await c.query(`SELECT pg_table_size('people') AS b`)).rows[0].b)
  // The exact expressions the sanitizer will use, from its own plan.
  const plan = buildPlan(await readCatalog(c), rulesFromConfig(RULES))
  const cols = plan.tables[0]
  const exprs = ['id', ...cols.masked.map((m) => `${m.sql} AS ${m.column}`), 'role', 'created_at']
  await prepareSession(c, resolveKey(env))
  const ctas = await time(() => c.query(`CREATE TABLE people_ctas AS SELECT ${exprs.join(', ')} FROM people`))
  const ctasIdx = await time(() => c.query('ALTER TABLE people_ctas ADD PRIMARY KEY (id); CREATE UNIQUE INDEX ON people_ctas (email)'))
  await c.query('DROP TABLE people_ctas; CREATE TABLE people_copy (LIKE people); CHECKPOINT')
  const out = await connect(url)
  const copy = await time(() => pipeline(out.query(copyStreams.to('COPY people TO STDOUT')), c.query(copyStreams.from('COPY people_copy FROM STDIN'))))
  await out.end()
  await c.query('DROP TABLE people_copy; CHECKPOINT')
  await c.end()
  const target = values.serial ? `${url}?options=${encodeURIComponent('-c max_parallel_workers_per_gather=0')}` : url
  const child = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', target, '--rules', rulesFile, '--jobs', values.jobs, ...(values['unique-check'] ? ['--unique-check', values['unique-check']] : []), ...(values.scan ? ['--scan'] : [])], { encoding: 'utf8', maxBuffer: 1 << 26 }))
  const t = child.report.tables[0]
  if (t.status !== 'masked') throw new Error(`sanitize failed: ${JSON.stringify(t.error)}`)
  // The whole call, minus the leak scan when it ran (reported apart): not just the table's own phases.
  const scanS = child.report.scan.durationMs / 1000
  const sanitizeS = child.wallS - scanS
  await pgHandle.dropDatabase(`bench_${rows}`)
  return { rows, mib: bytes / 1048576, gen, ctas, ctasIdx, copy, sanitizeS, tableS: t.durationMs / 1000, phases: t.phases, scanS, maxRssMiB: child.maxRssMiB, ok: child.report.ok }
}

try {
  const results = []
  for (const rows of [Number(values['rss-rows']), Number(values.rows)]) {
    const r = await measure(rows)
    results.push(r)
    const rps = (s) => fmt(r.rows / s)
    console.log(`\n${fmt(r.rows)} rows, ${r.mib.toFixed(0)} MiB heap (generated in ${r.gen.toFixed(1)} s)`)
    console.log(`  CTAS, same expressions        ${r.ctas.toFixed(1)} s  ${rps(r.ctas)} rows/s`)
    console.log(`  CTAS + same 2 indexes         ${(r.ctas + r.ctasIdx).toFixed(1)} s  ${rps(r.ctas + r.ctasIdx)} rows/s`)
    console.log(`  COPY out | COPY in (no mask)  ${r.copy.toFixed(1)} s  ${rps(r.copy)} rows/s`)
    console.log(`  sanitize run (unique-check ${values['unique-check'] ?? 'default'}${values.serial ? ', serial' : ''}) ${r.sanitizeS.toFixed(1)} s  ${rps(r.sanitizeS)} rows/s  (table ${r.tableS.toFixed(1)} s, phases ms ${JSON.stringify(r.phases)})`)
    console.log(`  ratio sanitize / CTAS         ${(r.ctas / r.sanitizeS * 100).toFixed(0)}%   / CTAS+indexes ${((r.ctas + r.ctasIdx) / r.sanitizeS * 100).toFixed(0)}%   rewrite phase / CTAS+indexes ${((r.ctas + r.ctasIdx) / (r.phases.rewriteMs / 1000) * 100).toFixed(0)}%`)
    console.log(`  peak RSS of the sanitize process ${r.maxRssMiB.toFixed(0)} MiB${values.scan ? `; leak scan ${r.scanS.toFixed(1)} s (${rps(r.scanS)} rows/s), ok=${r.ok}` : ''}`)
  }
  const [small, big] = results
  console.log(`\npeak RSS ${small.maxRssMiB.toFixed(0)} MiB at ${fmt(small.rows)} rows → ${big.maxRssMiB.toFixed(0)} MiB at ${fmt(big.rows)} rows (×${(big.maxRssMiB / small.maxRssMiB).toFixed(2)} for ×${big.rows / small.rows} rows)`)
  console.log(JSON.stringify(results))
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  await pgHandle.stop()
  rmSync(work, { recursive: true, force: true })
}
