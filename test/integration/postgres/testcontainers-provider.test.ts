import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startPostgres, sweep } from '../../../src/postgres/index.js'
import { execOn } from '../../../src/postgres/exec-on.js'
import { dockerAvailable, dockerImagePresent, listContainers } from '../../../src/postgres/docker.js'
import { KoinoniaError } from '../../../src/errors.js'

const image = 'postgres:15'
const docker = await dockerAvailable()
const why = !docker.ok
  ? docker.reason
  : !(await dockerImagePresent(image))
    ? `image ${image} is not present (build it without a registry: .ci/docker-setup.sh)`
    : null
if (why) console.warn(`testcontainers provider tests skipped: ${why}`)

const ours = async (label: string) => (await listContainers(`koinonia-db=${label}`)).map((c) => c.id)

describe.skipIf(why !== null)('testcontainers provider (real Docker engine, no Ryuk)', () => {
  it('starts postgres:15, clones templates, and removes its container on stop', async () => {
    {
      await using pg = await startPostgres({ provider: 'testcontainers', pgMajor: 15, label: 'tc-test', settings: { work_mem: "'8MB'" } })
      expect(pg.provider).toBe('testcontainers')
      expect(pg.pgMajor).toBe(15)
      expect((await execOn(pg.url, 'SHOW work_mem')).rows[0].work_mem).toBe('8MB')
      expect(await ours('tc-test')).toHaveLength(1)
      await pg.createDatabase('tpl')
      await execOn(pg.urlFor('tpl'), 'CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)')
      const clone = await pg.createDatabase('clone', { template: 'tpl' })
      expect((await execOn(clone, 'SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(2)
      expect(process.env.TESTCONTAINERS_RYUK_DISABLED).toBe('true')
    }
    expect(await ours('tc-test')).toEqual([])
  })

  it('removes the container when the code inside `await using` throws', async () => {
    const run = async () => {
      await using pg = await startPostgres({ provider: 'testcontainers', pgMajor: 15, label: 'tc-fail' })
      expect(await ours('tc-fail')).toHaveLength(1)
      await execOn(pg.url, 'SELECT * FROM no_such_table')
    }
    await expect(run()).rejects.toThrow(/no_such_table/)
    expect(await ours('tc-fail')).toEqual([])
  })

  it('fails clearly for an image that is not present, leaving no container', async () => {
    const error = await startPostgres({ provider: 'testcontainers', image: 'koinonia-missing/postgres:0', label: 'tc-missing' }).catch((e: unknown) => e)
    expect((error as KoinoniaError).code).toBe('KDB_DOCKER_IMAGE_UNAVAILABLE')
    expect(await ours('tc-missing')).toEqual([])
  })

  it('sweep removes labelled containers whose owner process is gone', async () => {
    const { execFileSync } = await import('node:child_process')
    const { hostname } = await import('node:os')
    // A container as a crashed run leaves it: labelled, owner pid that cannot be alive.
    const id = execFileSync('docker', ['create', '--label', 'koinonia-db=tc-crashed', '--label',
      `koinonia-db.owner={"pid":4194305,"host":"${hostname()}"}`, image], { encoding: 'utf8' }).trim()
    expect(await ours('tc-crashed')).toEqual([id])
    const result = await sweep({ label: 'tc-crashed' })
    expect(result.containers).toEqual([id])
    expect(await ours('tc-crashed')).toEqual([])
  })
})

// Hiding the engine's socket needs a private mount namespace (root + unshare) and the built library.
const here = dirname(fileURLToPath(import.meta.url))
const canHide = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0 && existsSync(join(here, '../../../dist/postgres/index.js'))

describe.skipIf(!canHide)('testcontainers provider without a Docker engine', () => {
  it('available() and start() say clearly that no engine is reachable', () => {
    const fixture = join(here, 'fixtures', 'docker-unavailable.mjs')
    const out = execFileSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs none /var/run && mount -t tmpfs none /run; exec "$0" "$1"', process.execPath, fixture], {
      encoding: 'utf8', env: { ...process.env, DOCKER_HOST: '', TESTCONTAINERS_HOST_OVERRIDE: '' },
    })
    const { available, error } = JSON.parse(out)
    expect(available.ok).toBe(false)
    expect(available.reason).toMatch(/no Docker engine is reachable/)
    expect(error).toMatchObject({ code: 'KDB_DOCKER_UNAVAILABLE', kind: 'environment' })
    expect(error.hint).toMatch(/--provider embedded/)
  })
})
