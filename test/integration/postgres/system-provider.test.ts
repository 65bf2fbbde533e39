import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { startPostgres } from '../../../src/postgres/index.js'
import { execOn } from '../../../src/postgres/cluster-handle.js'
import { systemBindir } from '../../../src/postgres/binaries.js'

const major = 15
describe.skipIf(!systemBindir(major))('system provider', () => {
  it('starts a real server, clones from a template, and removes everything on stop', async () => {
    let root: string
    {
      await using pg = await startPostgres({ provider: 'system', pgMajor: major })
      expect(pg.pgMajor).toBe(major)
      await execOn(pg.url, 'CREATE DATABASE tpl')
      await execOn(pg.urlFor('tpl'), 'CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)')
      const clone = await pg.createDatabase('clone', { template: 'tpl' })
      const { rows } = await execOn(clone, 'SELECT count(*)::int AS n FROM t')
      expect(rows[0].n).toBe(2)
      root = (await execOn(pg.url, 'SHOW data_directory')).rows[0].data_directory
      expect(existsSync(root)).toBe(true)
    }
    expect(existsSync(root)).toBe(false)
  })
})

describe('system provider without the wanted major', () => {
  it('says which majors it found and what to install', async () => {
    const { KoinoniaError } = await import('../../../src/errors.js')
    const { getProvider } = await import('../../../src/postgres/index.js')
    const missing = 11 // not packaged for this Debian release, so never installed here by accident
    const available = await getProvider('system').available({ pgMajor: missing })
    expect(available).toMatchObject({ ok: false })
    const error = await startPostgres({ provider: 'system', pgMajor: missing }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KoinoniaError)
    expect((error as InstanceType<typeof KoinoniaError>).code).toBe('KDB_PG_NOT_INSTALLED')
    expect((error as InstanceType<typeof KoinoniaError>).hint).toMatch(/postgresql-11/)
    if (systemBindir(15)) expect((error as Error).message).toMatch(/found: .*15/)
  })
})
