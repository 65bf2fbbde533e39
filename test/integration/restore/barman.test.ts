import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../src/cli/run-cli.js'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import { quoteLiteral } from '../../../src/postgres/sql.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import { toolAvailable } from '../../helpers/tools.js'
import { accidentAfterBackup, archivedSource, builtCli, drillToT, expectStateAtT, interruptDrill, ITEM_MARKERS, seedItems, type ArchivedSource } from './archived-source.js'

const available = toolAvailable('barman', 'the Barman drill', 'apt-get install -y barman, see .ci/setup-restore.sh')

/**
 * A real Barman catalogue of the source: its own barman.conf and home in the source's folder, barman
 * running as postgres, WAL shipped by archive_command into Barman's incoming folder and kept gzipped,
 * the base backup taken by pg_basebackup (backup_method = postgres).
 */
async function catalogue(source: ArchivedSource) {
  const socketDir = (await source.sql('SHOW unix_socket_directories')).rows[0].unix_socket_directories as string
  const home = join(source.root, 'barman')
  const incoming = join(home, 'drill', 'incoming')
  mkdirSync(incoming, { recursive: true })
  for (const dir of [home, join(home, 'drill'), incoming]) chownToPostgres(dir)
  const config = join(source.root, 'barman.conf')
  const conninfo = `host=${socketDir} port=${source.server.port} user=postgres`
  writeFileSync(config, [
    '[barman]', 'barman_user = postgres', `barman_home = ${home}`, `log_file = ${home}/barman.log`, 'immediate_checkpoint = true',
    '[drill]', 'description = koinonia-db drill test', `conninfo = ${conninfo} dbname=postgres`, `streaming_conninfo = ${conninfo}`,
    'backup_method = postgres', 'archiver = on', 'compression = gzip', `path_prefix = ${execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()}`, '',
  ].join('\n'))
  chownToPostgres(config)
  const barman = (...args: string[]) => execFileSync('barman', ['-c', config, ...args], { encoding: 'utf8' })
  await source.sql(`ALTER SYSTEM SET archive_command = ${quoteLiteral(`test ! -f ${incoming}/%f && cp %p ${incoming}/%f`)}`)
  await source.sql('SELECT pg_reload_conf()')
  /** A segment switch, archived by Postgres, then taken into Barman's catalogue (what `barman cron` does). */
  const ship = async () => {
    await source.flushArchive()
    barman('archive-wal', 'drill')
  }
  await ship()
  return { config, home, barman, ship }
}

describe.skipIf(!available)('drill from a Barman catalogue', () => {
  it('restores to T with barman recover --target-time (deleted rows back, rows after T absent), the latest state from the CLI; a gap fails before restoring', async () => {
    await using source = await archivedSource()
    const { config, home, barman, ship } = await catalogue(source)
    await seedItems(source)
    barman('backup', 'drill')
    await ship()
    // Barman compares a target time with the backup's end in whole seconds.
    await new Promise((r) => setTimeout(r, 1100))
    const { t, reference } = await accidentAfterBackup(source)
    barman('archive-wal', 'drill')

    const result = await drillToT({ kind: 'barman', server: 'drill', config }, t, reference)
    try {
      // Barman's recover also disables archiving in the copy (archive_command = false).
      await expectStateAtT(result)
      expect(result.source.location).toBe(`barman server drill (${config})`)
      expect(result.checks.find((c) => c.name === 'barman backup')?.detail).toMatch(/^backup \d{8}T\d{6}, WAL [0-9A-F]{24}\.\.[0-9A-F]{24}/)
      expect(result.checks.find((c) => c.name === 'WAL archive continuity')?.detail).toMatch(/in the catalogue, no gap/)
      expect(result.checks.find((c) => c.name === 'WAL fetch')).toMatchObject({ ok: true })
      // The catalogue's gzipped segments, read through barman get-wal for the last commit.
      expect(result.checks.find((c) => c.name === 'target within archive')?.detail).toMatch(/^target .* is before the last archived commit/)
    } finally {
      await result.kept?.stop()
    }

    // From the command line, with the source server down (a full loss), replaying the whole archive
    // brings the state after the accident.
    await source.server.stop()
    const out = new PassThrough()
    let stdout = ''
    out.on('data', (d) => (stdout += d))
    const code = await runCli(['drill', '--barman-server', 'drill', '--barman-config', config, '--target-latest', '--format', 'json',
      '--assert', 'SELECT count(*) = 51 AND bool_or(id = 1000) FROM items'], { stdout: out, stderr: new PassThrough(), cwd: process.cwd(), env: process.env, signal: new AbortController().signal })
    const report = JSON.parse(stdout)
    expect(report.reason).toBeUndefined()
    expect(code).toBe(0)
    expect(report).toMatchObject({ verdict: 'pass', scenario: 'full-loss', source: { kind: 'barman' }, target: { type: 'latest' } })
    expect(report.checks.find((c: { name: string }) => c.name === 'assertion: #1')).toMatchObject({ ok: true })

    // A backup id Barman does not have is a usage error naming it; a target before the backup ended fails the preflight.
    await expect(runDrill({ source: { kind: 'barman', server: 'drill', config, backupId: '20000101T000000' }, target: { type: 'time', value: t } }))
      .rejects.toMatchObject({ code: 'KDB_DRILL_NO_SET' })
    // A backup named by id that Barman refuses to recover to the target is a failed drill, not a crash.
    const backupId = /^backup (\S+),/.exec(result.checks.find((c) => c.name === 'barman backup')!.detail)![1]
    const refused = await runDrill({ source: { kind: 'barman', server: 'drill', config, backupId }, target: { type: 'time', value: '2001-01-01T00:00:00Z' } })
    expect(refused.verdict).toBe('fail')
    expect(refused.reason).toMatch(/^fetch: barman recover failed: .*before/)
    expect(refused.phases.map((p) => p.name)).toEqual(['preflight', 'fetch'])
    const typo = await runDrill({ source: { kind: 'barman', server: 'drill', config }, target: { type: 'name', value: 'no-such-point' } })
    expect(typo.checks.find((c) => c.name === 'target within archive')?.detail).toMatch(/^restore point 'no-such-point' is not in the archive/)
    expect(typo.phases.map((p) => p.name)).toEqual(['preflight'])
    const early = await runDrill({ source: { kind: 'barman', server: 'drill', config }, target: { type: 'time', value: '2001-01-01T00:00:00Z' } })
    expect(early.verdict).toBe('fail')
    expect(early.checks.find((c) => c.name === 'barman backup')?.detail).toMatch(/^no backup finished before the target 2001-01-01T00:00:00Z/)

    // The same catalogue with a segment gone from the middle of its WAL fails before restoring.
    const wals = join(home, 'drill', 'wals')
    const files = readdirSync(wals).filter((d) => /^[0-9A-F]{16}$/.test(d))
      .flatMap((d) => readdirSync(join(wals, d)).filter((f) => /^[0-9A-F]{24}$/.test(f) && f >= result.source.startSegment!).map((f) => join(wals, d, f))).sort()
    expect(files.length).toBeGreaterThanOrEqual(3)
    // Kept compressed (compression = gzip) under the segment's own name: what the preflight listed and fetched.
    expect([...readFileSync(files[0]).subarray(0, 2)]).toEqual([0x1f, 0x8b])
    const victim = files[files.length - 2]
    rmSync(victim)
    const gap = await runDrill({ source: { kind: 'barman', server: 'drill', config }, target: { type: 'time', value: t }, markers: ITEM_MARKERS })
    expect(gap.verdict).toBe('fail')
    expect(gap.reason).toContain(`segment ${victim.slice(-24)} is missing from the Barman archive`)
    expect(gap.phases.map((p) => p.name)).toEqual(['preflight'])
  })

  it.skipIf(!builtCli)('Ctrl-C while barman recover copies (built CLI): exit 130, no process left working in the drill folder, folder removed', async () => {
    await using source = await archivedSource()
    const { config, barman, ship } = await catalogue(source)
    barman('backup', 'drill')
    await ship()
    // Recovery copies at 2 MB/s (rsync --bwlimit): barman's copy is still running when the signal arrives.
    appendFileSync(config, 'bandwidth_limit = 2000\n')
    const ended = await interruptDrill(['--barman-server', 'drill', '--barman-config', config, '--target-latest'], 'rsync', 'barman')
    expect(ended).toMatchObject({ code: 130, running: [], left: [] })
  })

  it('an unknown server is an environment error that names it and says how to check', async () => {
    await using source = await archivedSource()
    const { config } = await catalogue(source)
    const error = await runDrill({ source: { kind: 'barman', server: 'nosuch', config }, scenario: 'full-loss' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KDB_DRILL_BARMAN_FAILED' })
    expect((error as Error).message).toContain("Unknown server 'nosuch'")
  })
})
