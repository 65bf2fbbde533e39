import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import { runSanitize } from '../../../src/sanitize/run.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { CHURCH_RULES, TEST_KEY, findOriginals, loadChurchDataset, originalValues } from './church-dataset.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'kdb-sanitize-kill-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Email-like columns: each must be all fake or all original, never a mix. */
const EMAIL_COLUMNS = [['users', 'email'], ['contacts', 'email'], ['login_events', 'user_email'], ['audit_log', 'actor_email']]

it('a run killed mid-table leaves every table fully masked or untouched, and a rerun finishes the job', async () => {
  await using server = await startTestPostgres()
  const url = await server.createDatabase('church')
  let originals
  {
    await using client = await connect(url)
    await loadChurchDataset(client)
    // A table big enough that the process is still rewriting it when we kill it.
    await client.query(`CREATE TABLE audit_log (id bigserial PRIMARY KEY, actor_email text NOT NULL, target_email text NOT NULL);
      INSERT INTO audit_log (actor_email, target_email) SELECT 'actor' || g || '@corp.example', 'target' || g || '@corp.example' FROM generate_series(1, 400000) g`)
    originals = await originalValues(client)
  }
  const rules = join(dir, 'rules.yaml')
  writeFileSync(rules, readFileSync(CHURCH_RULES, 'utf8').replace('references:', '  audit_log:\n    id: keep\n    actor_email: email\n    target_email: email\nreferences:'))

  // audit_log is held back (its group waits for its lock) until another group has committed, then
  // the process is killed while audit_log's rewrite runs: a committed table and one mid-flight,
  // whatever the machine's speed.
  await using blocker = await connect(url)
  await blocker.query('BEGIN')
  await blocker.query('LOCK TABLE audit_log IN ACCESS SHARE MODE')
  const child = spawn(process.execPath, [join(root, 'dist/cli/main.cjs'), 'sanitize', 'run', '--target', url, '--rules', rules, '--jobs', '2', '--format', 'json'], {
    env: { ...process.env, KOINONIA_SANITIZE_KEY: TEST_KEY }, stdio: 'ignore',
  })
  const exited = new Promise((r) => child.on('exit', r))
  await using watch = await connect(url)
  const committed = async () => (await watch.query(`SELECT to_regclass('koinonia_sanitize.state') IS NOT NULL AS ok`)).rows[0].ok
    ? Number((await watch.query('SELECT count(*) AS n FROM koinonia_sanitize.state')).rows[0].n) : 0
  for (let i = 0; i < 1200 && (await committed()) < 1; i++) await sleep(50)
  expect(await committed()).toBeGreaterThan(0)
  await blocker.query('COMMIT')
  let killedWhile = ''
  for (let i = 0; i < 3000 && !killedWhile; i++) {
    await sleep(20)
    const { rows } = await watch.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE query ILIKE 'ALTER TABLE %"audit_log"%' AND state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock'`)
    if (Number(rows[0].n) > 0) {
      child.kill('SIGKILL')
      killedWhile = `audit_log rewriting, ${await committed()} table(s) committed`
    }
  }
  expect(killedWhile).not.toBe('')
  await exited
  // The server ends the orphaned statement (client_connection_check_interval) and rolls it back.
  for (let i = 0; i < 100; i++) {
    const { rows } = await watch.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE query ILIKE '%audit_log%' AND pid <> pg_backend_pid() AND state <> 'idle'`)
    if (rows[0].n === '0') break
    await sleep(100)
  }
  const done = new Set((await watch.query('SELECT table_name FROM koinonia_sanitize.state')).rows.map((r) => r.table_name as string))
  expect(done.has('public.audit_log')).toBe(false)
  for (const [table, column] of EMAIL_COLUMNS) {
    const { rows } = await watch.query(`SELECT count(*) FILTER (WHERE ${column} ~ '^user_[0-9a-f]{20}@example\\.com$') AS fake, count(${column}) AS total FROM ${table}`)
    const fake = Number(rows[0].fake)
    const total = Number(rows[0].total)
    expect(fake === 0 || fake === total, `${table}.${column}: ${fake} of ${total} masked`).toBe(true)
    expect(fake === total, `${table} masked iff recorded as done`).toBe(done.has(`public.${table}`))
  }

  const report = await runSanitize({ target: url, rules, env: { KOINONIA_SANITIZE_KEY: TEST_KEY }, jobs: 2 })
  expect(report.ok).toBe(true)
  for (const t of report.tables) expect(t.status).toBe(done.has(t.name) ? 'already-masked' : 'masked')
  expect(await findOriginals(watch, originals!)).toEqual([])
  const audit = await watch.query(`SELECT count(*) AS n FROM audit_log WHERE actor_email LIKE 'actor%' OR target_email LIKE 'target%'`)
  expect(audit.rows[0].n).toBe('0')
}, 300_000)
