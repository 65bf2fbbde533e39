// Drill overhead vs the bare restore on the same ≥ 1 GB base backup, in the same run.
// Bare restore = what an operator does by hand: copy the backup, recovery.signal + restore_command,
// pg_ctl start, wait until promoted (end of the archive). The drill adds preflight (pg_verifybackup,
// archive continuity, pg_waldump, restore_command try), pause/checks/promote, CHECKPOINT, amcheck.
// --source barman: the same database in a real Barman catalogue (barman as postgres, its own home in
// the bench folder); bare = `barman recover` + pg_ctl start until it accepts connections.
// Usage: node bench/drill.mjs [--size-mb 1100] [--runs 1] [--source base-backup|barman]   (build first: npm run build, or KDB_DIST=<outDir>)
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const DIST = process.env.KDB_DIST ?? join(REPO, 'dist')
const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '1100' }, runs: { type: 'string', default: '1' }, source: { type: 'string', default: 'base-backup' } } })
const BARMAN = values.source === 'barman'
const SIZE_MB = Number(values['size-mb'])
const RUNS = Number(values.runs)

const { startPostgres } = await import(join(DIST, 'postgres/index.js'))
const { execOn } = await import(join(DIST, 'postgres/cluster-handle.js'))
const { systemBindir } = await import(join(DIST, 'postgres/binaries.js'))
const { asPostgres, chownToPostgres } = await import(join(DIST, 'postgres/os-user.js'))
const { freePort } = await import(join(DIST, 'postgres/free-port.js'))
const { archivingSettings, prepareArchiveDir } = await import(join(DIST, 'restore/archiving.js'))
const { quoteLiteral } = await import(join(DIST, 'postgres/sql.js'))
const { takeBaseBackup } = await import(join(DIST, 'restore/base-backup.js'))
const { runDrill } = await import(join(DIST, 'restore/run-drill.js'))

const bindir = systemBindir(15).dir
const root = mkdtempSync(join(tmpdir(), 'koinonia-bench-drill-'))
chownToPostgres(root)
const archiveDir = prepareArchiveDir(join(root, 'wal'))
const backupDir = join(root, 'base')
const log = (m) => process.stderr.write(`${m}\n`)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// Barman: a catalogue of its own in the bench folder, WAL shipped into its incoming folder.
const barmanHome = join(root, 'barman')
const barmanConfig = join(root, 'barman.conf')
const incoming = join(barmanHome, 'drill', 'incoming')
const barman = (...args) => execFileSync('barman', ['-c', barmanConfig, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
function writeBarmanConfig(socketDir, port) {
  execFileSync('mkdir', ['-p', incoming])
  execFileSync('chown', ['-R', 'postgres:postgres', barmanHome])
  const conninfo = `host=${socketDir} port=${port} user=postgres`
  writeFileSync(barmanConfig, ['[barman]', 'barman_user = postgres', `barman_home = ${barmanHome}`, `log_file = ${barmanHome}/barman.log`, 'immediate_checkpoint = true',
    '[drill]', 'description = bench', `conninfo = ${conninfo} dbname=postgres`, `streaming_conninfo = ${conninfo}`, 'backup_method = postgres', 'archiver = on',
    `path_prefix = ${bindir}`, ''].join('\n'))
}

async function bareRestore() {
  const dir = mkdtempSync(join(tmpdir(), 'koinonia-bench-bare-'))
  chownToPostgres(dir)
  const data = join(dir, 'data')
  const port = await freePort()
  const pg = (args) => execFileSync(join(bindir, 'pg_ctl'), args, { ...asPostgres(), stdio: 'ignore' })
  const t0 = performance.now()
  try {
    if (BARMAN) {
      // The whole archive copied into pg_wal by barman; Postgres replays it at start.
      execFileSync('mkdir', ['-m', '700', data])
      execFileSync('chown', ['postgres:postgres', data])
      barman('recover', 'drill', 'latest', data)
      writeFileSync(join(data, 'postgresql.auto.conf'), ['archive_mode = off', `port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, ''].join('\n'), { flag: 'a' })
    } else {
      execFileSync('cp', ['-a', backupDir, data])
      execFileSync('chown', ['-R', 'postgres:postgres', data])
      writeFileSync(join(data, 'recovery.signal'), '')
      writeFileSync(join(data, 'postgresql.auto.conf'), [
        `restore_command = 'cp "${archiveDir}/%f" "%p"'`, "archive_mode = off", `port = ${port}`,
        "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, '',
      ].join('\n'), { flag: 'a' })
    }
    pg(['-D', data, '-l', join(dir, 'log'), '-w', '-t', '3600', 'start'])
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`
    while ((await execOn(url, 'SELECT pg_is_in_recovery() AS r')).rows[0].r) await sleep(50)
    return performance.now() - t0
  } finally {
    try { pg(['-D', data, '-m', 'immediate', 'stop']) } catch { /* not running */ }
    rmSync(dir, { recursive: true, force: true })
  }
}

const source = await startPostgres({ provider: 'system', pgMajor: 15, label: 'bench', settings: { ...archivingSettings(archiveDir), max_wal_size: "'4GB'" } })
try {
  const rows = Math.round((SIZE_MB * 1048576) / 1100)
  log(`loading ${rows} rows (~${SIZE_MB} MB)`)
  await execOn(source.url, 'CREATE TABLE big (id bigint PRIMARY KEY, payload text NOT NULL)')
  for (let from = 1; from <= rows; from += 200_000)
    await execOn(source.url, `INSERT INTO big SELECT g, repeat(md5(g::text), 30) FROM generate_series(${from}, ${Math.min(rows, from + 199_999)}) g`)
  const dbBytes = Number((await execOn(source.url, 'SELECT pg_database_size(current_database()) AS b')).rows[0].b)
  log(`database size ${Math.round(dbBytes / 1048576)} MB; base backup${BARMAN ? ' (barman backup)' : ''}`)
  const shipped = async () => {
    const seg = (await execOn(source.url, 'SELECT pg_walfile_name(pg_switch_wal()) AS f')).rows[0].f
    while (((await execOn(source.url, 'SELECT last_archived_wal AS w FROM pg_stat_archiver')).rows[0].w ?? '') < seg) await sleep(200)
    if (BARMAN) barman('archive-wal', 'drill')
  }
  if (BARMAN) {
    writeBarmanConfig((await execOn(source.url, 'SHOW unix_socket_directories')).rows[0].unix_socket_directories, source.port)
    await execOn(source.url, `ALTER SYSTEM SET archive_command = ${quoteLiteral(`test ! -f ${incoming}/%f && cp %p ${incoming}/%f`)}`)
    await execOn(source.url, 'SELECT pg_reload_conf()')
    await shipped()
    barman('backup', 'drill')
  } else await takeBaseBackup({ url: source.url, targetDir: backupDir })
  // WAL after the backup for redo to do: 5 % of rows updated.
  await execOn(source.url, `UPDATE big SET payload = upper(payload) WHERE id % 20 = 0`)
  await shipped()
  await source.stop()

  // Alternate the order so page-cache warmth and neighbours' load do not favour one side.
  const runs = []
  for (let i = 0; i < RUNS; i++) {
    const one = {}
    for (const side of i % 2 === 0 ? ['bare', 'drill'] : ['drill', 'bare']) {
      log(`run ${i + 1}: ${side}`)
      if (side === 'bare') one.bareMs = await bareRestore()
      else {
        const t0 = performance.now()
        const result = await runDrill({
          source: BARMAN ? { kind: 'barman', server: 'drill', config: barmanConfig } : { kind: 'base-backup', backupDir, archiveDir }, scenario: 'full-loss',
          assertions: [{ name: 'all rows', sql: `SELECT count(*) = ${rows} FROM big` }],
        })
        if (result.verdict !== 'pass') throw new Error(`drill failed: ${result.reason}`)
        Object.assign(one, { drillWallMs: performance.now() - t0, result })
      }
    }
    runs.push(one)
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
  const phaseSum = (r, names) => r.phases.filter((p) => names.includes(p.name)).reduce((s, p) => s + p.ms, 0)
  const bareMs = median(runs.map((r) => r.bareMs))
  // Like for like: the bare time stops when promoted (no cleanup), so does the drill's RTO (sum of its phases).
  const drillMs = median(runs.map((r) => r.result.rtoSeconds * 1000))
  const restoreMs = median(runs.map((r) => phaseSum(r.result, ['fetch', 'startup', 'redo', 'promote'])))
  const last = runs.at(-1).result
  const report = {
    source: values.source, databaseMB: Math.round(dbBytes / 1048576), runs: RUNS,
    perRun: runs.map((r) => ({ bareMs: Math.round(r.bareMs), drillRtoMs: Math.round(r.result.rtoSeconds * 1000), drillWallMs: Math.round(r.drillWallMs) })),
    bareRestoreMs: Math.round(bareMs), drillMs: Math.round(drillMs), overheadRatio: +(drillMs / bareMs).toFixed(2),
    drillRestorePhasesMs: restoreMs, restorePhasesRatio: +(restoreMs / bareMs).toFixed(2),
    phases: Object.fromEntries(last.phases.map((p) => [p.name, p.ms])),
    walReplayedMB: last.recovery.walReplayedMB, walReplayMBps: last.recovery.walReplayMBps,
  }
  console.log(JSON.stringify(report, null, 2))
  log(`drill ${(drillMs / 1000).toFixed(1)} s vs bare restore ${(bareMs / 1000).toFixed(1)} s: ×${report.overheadRatio} (its restore phases alone ×${report.restorePhasesRatio})`)
} finally {
  await source.stop().catch(() => undefined)
  rmSync(root, { recursive: true, force: true })
}
