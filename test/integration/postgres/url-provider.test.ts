import { describe, expect, it } from 'vitest'
import { startPostgres, sweep, sweepUrl } from '../../../src/postgres/index.js'
import { execOn } from '../../../src/postgres/exec-on.js'
import { systemBindir } from '../../../src/postgres/binaries.js'
import { KoinoniaError } from '../../../src/errors.js'

const databases = async (url: string) =>
  (await execOn(url, 'SELECT datname FROM pg_database ORDER BY datname')).rows.map((r) => r.datname as string)

describe.skipIf(!systemBindir(15))('url provider (against a server started with the system provider)', () => {
  it('works only in its own scratch databases and drops exactly those on stop', async () => {
    await using server = await startPostgres({ provider: 'system', pgMajor: 15, label: 'url-host' })
    // Someone else's data on the same server, with a session open on it.
    await execOn(server.url, 'CREATE DATABASE app')
    await execOn(server.urlFor('app'), 'CREATE TABLE keep (id int); INSERT INTO keep VALUES (42)')
    const { connect } = await import('../../helpers/pg.js')
    await using appSession = await connect(server.urlFor('app'))
    const before = await databases(server.url)

    let scratch: string[]
    {
      await using pg = await startPostgres({ provider: 'url', url: server.url, label: 'Url Test' })
      expect(pg.provider).toBe('url')
      expect(pg.serverVersion).toBe(server.serverVersion)
      expect(new URL(pg.url).pathname).toMatch(/^\/koinonia_url_test_[0-9a-f]{8}$/)
      await execOn(pg.url, 'CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)')
      const tpl = await pg.createDatabase('tpl', { template: new URL(pg.url).pathname.slice(1) })
      expect((await execOn(tpl, 'SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(2)
      const clone = await pg.createDatabase('clone', { template: 'tpl' })
      expect(clone).toBe(pg.urlFor('clone'))
      expect((await execOn(clone, 'SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(2)
      // Reading another database is allowed; dropping it is not.
      expect((await execOn(pg.urlFor('app'), 'SELECT id FROM keep')).rows[0].id).toBe(42)
      const refused = await pg.dropDatabase('app').catch((e: unknown) => e)
      expect((refused as KoinoniaError).code).toBe('KDB_DB_NOT_OURS')
      // A snapshot frozen as a template (as the harness does) cannot be dropped as is; stop() must still drop it.
      const physicalTpl = new URL(pg.urlFor('tpl')).pathname.slice(1)
      await execOn(server.url, `ALTER DATABASE "${physicalTpl}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`)
      scratch = (await databases(server.url)).filter((d) => !before.includes(d))
      expect(scratch).toHaveLength(3)
      expect(scratch.every((d) => d.startsWith('koinonia_url_test_'))).toBe(true)
    }
    expect(await databases(server.url)).toEqual(before)
    // The other database and its session were never touched.
    expect((await appSession.query('SELECT id FROM keep')).rows[0].id).toBe(42)
  })

  it('sweepUrl drops scratch databases of dead owners only', async () => {
    await using server = await startPostgres({ provider: 'system', pgMajor: 15, label: 'url-sweep' })
    await using live = await startPostgres({ provider: 'url', url: server.url, label: 'live' })
    const dead = 'koinonia_crashed_0badc0de'
    await execOn(server.url, `CREATE DATABASE ${dead}`)
    // pid 2^22+1 is above Linux's default pid_max: a process that cannot be running.
    await execOn(server.url, `COMMENT ON DATABASE ${dead} IS 'koinonia-db {"pid":4194305,"host":"${(await import('node:os')).hostname()}","label":"crashed","createdAt":"x"}'`)
    expect(await sweepUrl(server.url)).toEqual([dead])
    expect(await databases(server.url)).toContain(new URL(live.url).pathname.slice(1))
    // sweep({ url }) (the CLI's `sweep --url`, config key `url`) does the same after the local leftovers.
    await execOn(server.url, `CREATE DATABASE ${dead}`)
    await execOn(server.url, `COMMENT ON DATABASE ${dead} IS 'koinonia-db {"pid":4194305,"host":"${(await import('node:os')).hostname()}","label":"crashed","createdAt":"x"}'`)
    const swept = await sweep({ url: server.url, label: 'no-such-label', docker: false })
    expect(swept.databases).toEqual([dead])
    expect(await databases(server.url)).toContain(new URL(live.url).pathname.slice(1))
  })

  it('says what is wrong with a bad URL or an unreachable server', async () => {
    const bad = await startPostgres({ provider: 'url', url: 'mysql://x@y/z' }).catch((e: unknown) => e)
    expect((bad as KoinoniaError).code).toBe('KDB_URL_INVALID')
    const down = await startPostgres({ provider: 'url', url: 'postgres://postgres@127.0.0.1:1/postgres' }).catch((e: unknown) => e)
    expect((down as KoinoniaError).code).toBe('KDB_PG_UNREACHABLE')
    expect((down as KoinoniaError).kind).toBe('environment')
  })
})
