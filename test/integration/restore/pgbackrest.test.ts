import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { asPostgres, chownToPostgres } from '../../../src/postgres/os-user.js'
import { quoteLiteral } from '../../../src/postgres/sql.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import { toolAvailable } from '../../helpers/tools.js'
import { accidentAfterBackup, archivedSource, drillToT, expectStateAtT, ITEM_MARKERS, seedItems } from './archived-source.js'

const available = toolAvailable('pgbackrest', 'the pgBackRest drill', 'apt-get install -y pgbackrest, see .ci/setup-restore.sh', ['version'])

describe.skipIf(!available)('drill from a pgBackRest repository', () => {
  it('restores to T with pgbackrest restore --type=time: deleted rows are back, rows after T are absent', async () => {
    await using source = await archivedSource()
    const dataDir = (await source.sql('SHOW data_directory')).rows[0].data_directory as string
    const socketDir = (await source.sql('SHOW unix_socket_directories')).rows[0].unix_socket_directories as string
    const config = join(source.root, 'pgbackrest.conf')
    for (const dir of ['repo', 'lock', 'log']) {
      mkdirSync(join(source.root, dir))
      chownToPostgres(join(source.root, dir))
    }
    writeFileSync(config, [
      '[global]', `repo1-path=${source.root}/repo`, `lock-path=${source.root}/lock`, `log-path=${source.root}/log`, 'start-fast=y', 'repo1-retention-full=2',
      '[drill]', `pg1-path=${dataDir}`, `pg1-port=${source.server.port}`, `pg1-socket-path=${socketDir}`, '',
    ].join('\n'))
    chownToPostgres(config)
    const pgbr = (...args: string[]) => execFileSync('pgbackrest', [`--config=${config}`, '--stanza=drill', ...args], { ...asPostgres(), encoding: 'utf8' })
    await source.sql(`ALTER SYSTEM SET archive_command = ${quoteLiteral(`pgbackrest --config=${config} --stanza=drill archive-push %p`)}`)
    await source.sql('SELECT pg_reload_conf()')
    pgbr('stanza-create')
    await seedItems(source)
    pgbr('--type=full', 'backup')
    // pgBackRest records backup stop times in whole seconds and picks a set that stopped before T.
    await new Promise((r) => setTimeout(r, 1100))
    const { t, reference } = await accidentAfterBackup(source)

    const result = await drillToT({ kind: 'pgbackrest', stanza: 'drill', config }, t, reference)
    try {
      await expectStateAtT(result)
      expect(result.checks.find((c) => c.name === 'WAL archive continuity')?.detail).toMatch(/in the repository, no gap/)
      // The repository's own (gzipped, <segment>-<sha1>.gz) segments read for the last commit.
      expect(result.checks.find((c) => c.name === 'target within archive')?.detail).toMatch(/^target .* is before the last archived commit/)
    } finally {
      await result.kept?.stop()
    }

    // From here the source server is down, as in a full loss: pgBackRest needs only its repository.
    await source.server.stop()
    const latest = await runDrill({ source: { kind: 'pgbackrest', stanza: 'drill', config }, scenario: 'full-loss', assertions: [{ sql: 'SELECT count(*) = 51 FROM items' }] })
    expect(latest.reason).toBeUndefined()
    expect(latest.verdict).toBe('pass')
    // archive-get would check the gone data directory's pg_control: the segment comes from the repository.
    expect(latest.checks.find((c) => c.name === 'restore_command')).toMatchObject({ ok: true, detail: expect.stringMatching(/^fetched [0-9A-F]{24} from the repository \(repo-get/) })

    // A restore point the repository's archive does not hold fails before restoring.
    const typo = await runDrill({ source: { kind: 'pgbackrest', stanza: 'drill', config }, target: { type: 'name', value: 'no-such-point' } })
    expect(typo.verdict).toBe('fail')
    expect(typo.checks.find((c) => c.name === 'target within archive')?.detail).toMatch(/^restore point 'no-such-point' is not in the archive/)
    expect(typo.phases.map((p) => p.name)).toEqual(['preflight'])

    // The same repository with a segment gone from the middle of its archive fails before restoring.
    const archiveRoot = join(source.root, 'repo', 'archive', 'drill')
    const [archiveId] = readdirSync(archiveRoot).filter((n) => /^\d+-\d+$/.test(n))
    const files = readdirSync(join(archiveRoot, archiveId)).filter((d) => /^[0-9A-F]{16}$/.test(d))
      .flatMap((d) => readdirSync(join(archiveRoot, archiveId, d)).map((f) => join(archiveRoot, archiveId, d, f)))
      .filter((f) => /\/[0-9A-F]{24}-/.test(f) && basename(f).slice(0, 24) >= result.source.startSegment!).sort()
    expect(files.length).toBeGreaterThanOrEqual(2)
    const victim = files[files.length - 2]
    rmSync(victim)
    const gap = await runDrill({ source: { kind: 'pgbackrest', stanza: 'drill', config }, target: { type: 'time', value: t }, markers: ITEM_MARKERS })
    expect(gap.verdict).toBe('fail')
    expect(gap.reason).toContain(`segment ${basename(victim).slice(0, 24)} is missing from the pgBackRest archive`)
    expect(gap.phases.map((p) => p.name)).toEqual(['preflight'])
  })
})
