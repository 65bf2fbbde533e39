import { describe, expect, it } from 'vitest'
import { getProvider, startPostgres, type PostgresHandle, type ProviderName } from '../../../src/postgres/index.js'
import { execOn } from '../../../src/postgres/exec-on.js'
import { dockerImagePresent } from '../../../src/postgres/docker.js'
import { connect } from '../../helpers/pg.js'

/**
 * The same contract on every provider available here: what the harness, sanitizer and drills rely on.
 * The url provider runs against a server started with the system provider.
 */
const names: ProviderName[] = ['embedded', 'system', 'testcontainers', 'url']
const why = new Map<ProviderName, string>()
for (const name of names) {
  if (name === 'url') continue
  const available = await getProvider(name).available({ pgMajor: 15 })
  if (!available.ok) why.set(name, available.reason)
  else if (name === 'testcontainers' && !(await dockerImagePresent('postgres:15'))) why.set(name, 'image postgres:15 is not present (.ci/docker-setup.sh)')
}
if (why.has('system')) why.set('url', 'needs the system provider to host the server')
for (const [name, reason] of why) console.warn(`provider contract: ${name} skipped: ${reason}`)

describe.each(names)('provider %s', (name) => {
  it.skipIf(why.has(name))('serves Postgres 15, clones a template that has a session open, drops, and stops idempotently', async () => {
    const host = name === 'url' ? await startPostgres({ provider: 'system', label: 'contract-host' }) : null
    try {
      const pg: PostgresHandle = await startPostgres({ provider: name, pgMajor: 15, label: `contract-${name}`, url: host?.url })
      try {
        expect(pg.provider).toBe(name)
        expect(pg.pgMajor).toBe(15)
        expect(pg.serverVersion).toMatch(/^15\.\d+$/)
        expect((await execOn(pg.url, 'SELECT current_setting(\'server_version_num\')::int / 10000 AS major')).rows[0].major).toBe(15)
        const tpl = await pg.createDatabase('contract_tpl')
        await execOn(tpl, "CREATE TABLE contact (id int PRIMARY KEY, phone text); INSERT INTO contact SELECT g, '+1555' || g FROM generate_series(1, 500) g")
        // A session left open on the template (a baseline reader, a psql someone forgot): the clone must still work.
        await using reader = await connect(pg.urlFor('contract_tpl'))
        reader.on('error', () => undefined)
        const clone = await pg.createDatabase('contract_clone', { template: 'contract_tpl' })
        expect((await execOn(clone, 'SELECT count(*)::int AS n FROM contact')).rows[0].n).toBe(500)
        await pg.dropDatabase('contract_clone')
        await expect(execOn(clone, 'SELECT 1')).rejects.toThrow(/does not exist/)
        if (pg.clientBindir) expect(pg.clientBindir).toMatch(/bin$/)
      } finally {
        await Promise.all([pg.stop(), pg.stop()])
        await pg[Symbol.asyncDispose]()
      }
      await expect(execOn(pg.url, 'SELECT 1')).rejects.toThrow()
    } finally {
      await host?.stop()
    }
  })
})
