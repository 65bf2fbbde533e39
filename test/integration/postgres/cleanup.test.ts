import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { startPostgres, sweep } from '../../../src/postgres/index.js'
import { execOn } from '../../../src/postgres/exec-on.js'
import { liveCleanupCount } from '../../../src/postgres/cleanup-registry.js'
import { OWNER_FILE, pidAlive } from '../../../src/postgres/owner-file.js'
import { LocalCluster } from '../../../src/postgres/local-cluster.js'
import { processesOn } from '../../../src/postgres/postmaster.js'
import { findEmbeddedPackage, prepareEmbedded } from '../../../src/postgres/embedded-binaries.js'
import { KoinoniaError } from '../../../src/errors.js'
import { dockerAvailable, dockerImagePresent, listContainers } from '../../../src/postgres/docker.js'

const here = dirname(fileURLToPath(import.meta.url))
const script = join(here, 'fixtures', 'hold-postgres.mjs')
const distBuilt = existsSync(join(here, '../../../dist/postgres/index.js'))
if (!distBuilt) console.warn('child-process cleanup tests skipped: dist/ is not built (npm run build; npm test does it)')

interface Held {
  child: ReturnType<typeof spawn>
  info: { url: string; dataDir: string; port: number }
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children: { child: ReturnType<typeof spawn>; label: string }[] = []
// A failed or timed-out test must not leave its child (and the child's server) running.
afterAll(async () => {
  for (const { child, label } of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
    }
    await sweep({ label })
  }
})

/** Runs the fixture in a plain node process and waits until it reports its server. */
async function hold(provider: string, label: string, mode = 'hold'): Promise<Held> {
  const child = spawn(process.execPath, [script, provider, label, mode], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push({ child, label })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })))
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    void exited.then(() => reject(new Error(`fixture exited early: ${stderr}`)))
  })
  return { child, info: JSON.parse(line), exited }
}

const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
const rootOf = (dataDir: string) => dirname(dataDir)

/**
 * Runs `body` with the path of a FIFO nobody writes. Included in a server's configuration, it blocks the
 * postmaster before it writes postmaster.pid, for as long as we like: the window a slow machine has by
 * chance, held open.
 */
async function withStuckConfig<T>(body: (fifo: string) => Promise<T>): Promise<T> {
  const fifoDir = mkdtempSync(join(tmpdir(), 'kdb-test-fifo-'))
  chmodSync(fifoDir, 0o755)
  const fifo = join(fifoDir, 'stuck.conf')
  execFileSync('mkfifo', ['-m', '0666', fifo])
  try {
    return await body(fifo)
  } finally {
    rmSync(fifoDir, { recursive: true, force: true })
  }
}

/** Command lines of running processes that mention `text`. */
const processesMentioning = (text: string) => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(text))

describe('cleanup of local clusters', () => {
  it('after success and after a failure inside `await using`, no server process and no folder is left', async () => {
    let dataDir = ''
    let pid = 0
    const failing = async () => {
      await using pg = await startPostgres({ label: 'cleanup-fail' })
      dataDir = (await execOn(pg.url, 'SHOW data_directory')).rows[0].data_directory
      pid = postmasterPid(dataDir)
      expect(pidAlive(pid)).toBe(true)
      throw new Error('migration blew up')
    }
    await expect(failing()).rejects.toThrow('migration blew up')
    expect(pidAlive(pid)).toBe(false)
    expect(existsSync(rootOf(dataDir))).toBe(false)
    expect(liveCleanupCount()).toBe(0)

    const pg = await startPostgres({ label: 'cleanup-ok' })
    dataDir = (await execOn(pg.url, 'SHOW data_directory')).rows[0].data_directory
    pid = postmasterPid(dataDir)
    await Promise.all([pg.stop(), pg.stop(), pg[Symbol.asyncDispose]()]) // idempotent, also when concurrent
    expect(pidAlive(pid)).toBe(false)
    expect(existsSync(rootOf(dataDir))).toBe(false)
  })

  it('a server that fails to start says why and leaves no folder behind', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('koinonia-cleanup-badconf-'))
    const error = await startPostgres({ label: 'cleanup-badconf', settings: { max_connections: "'many'" } }).catch((e: unknown) => e)
    expect((error as KoinoniaError).code).toBe('KDB_PG_START_FAILED')
    expect((error as KoinoniaError).message).toMatch(/max_connections/)
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('koinonia-cleanup-badconf-'))).toEqual(before)
    expect(liveCleanupCount()).toBe(0)
  })

  it.skipIf(process.getuid?.() !== 0)('a TMPDIR the postgres OS user cannot reach is reported as such, and nothing is left', async () => {
    const privateTmp = mkdtempSync(join(tmpdir(), 'kdb-test-private-tmp-')) // mode 0700, owned by root
    const saved = process.env.TMPDIR
    process.env.TMPDIR = privateTmp
    try {
      const error = await startPostgres({ label: 'cleanup-tmpdir' }).catch((e: unknown) => e)
      expect((error as KoinoniaError).code).toBe('KDB_TMPDIR_UNREACHABLE')
      expect((error as KoinoniaError).hint).toContain(privateTmp)
      expect(readdirSync(privateTmp)).toEqual([])
    } finally {
      process.env.TMPDIR = saved
      if (saved === undefined) delete process.env.TMPDIR
      rmSync(privateTmp, { recursive: true, force: true })
    }
  })

  it('a start that times out reports KDB_PG_START_TIMEOUT and stops the late server', async () => {
    // pg_ctl -t 0 gives up at once while the postmaster keeps starting: exactly the race a slow machine has.
    const error = await startPostgres({ label: 'cleanup-timeout', startTimeoutSeconds: 0 }).catch((e: unknown) => e)
    expect((error as KoinoniaError).code).toBe('KDB_PG_START_TIMEOUT')
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('koinonia-cleanup-timeout-'))).toEqual([])
    expect(processesMentioning('koinonia-cleanup-timeout-')).toEqual([])
  })

  it('a postmaster stuck before writing postmaster.pid (invisible to pg_ctl stop) is found and killed after a start timeout', async () => {
    await withStuckConfig(async (fifo) => {
      const started = Date.now()
      const error = await startPostgres({ label: 'cleanup-stuck', startTimeoutSeconds: 0, settings: { include: `'${fifo}'` } }).catch((e: unknown) => e)
      expect((error as KoinoniaError).code).toBe('KDB_PG_START_TIMEOUT')
      expect(Date.now() - started).toBeLessThan(20_000)
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith('koinonia-cleanup-stuck-'))).toEqual([])
      expect(processesMentioning('koinonia-cleanup-stuck-')).toEqual([])
    })
  })

  it.skipIf(!distBuilt)('SIGINT to a process holding a cluster stops it, removes its folder, and still ends the process', async () => {
    const { child, info, exited } = await hold('embedded', 'cleanup-sigint')
    const pid = postmasterPid(info.dataDir)
    expect(pidAlive(pid)).toBe(true)
    child.kill('SIGINT')
    // The default SIGINT behaviour is re-raised once cleanup is done: the process dies of SIGINT.
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' })
    expect(pidAlive(pid)).toBe(false)
    expect(existsSync(rootOf(info.dataDir))).toBe(false)
  })

  describe('a start that hangs before postmaster.pid exists (a FIFO in its configuration)', () => {
    /** Runs the fixture in mode "stuck" until the postmaster exists, then ends it with `end`. */
    const endWhileStuck = (label: string, end: (child: ReturnType<typeof spawn>) => void) => withStuckConfig(async (fifo) => {
      const running = () => processesMentioning(`koinonia-${label}-`)
      const postmasters = () => running().filter((l) => /\/postgres -D /.test(l))
      const folders = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`koinonia-${label}-`))
      const child = spawn(process.execPath, [script, 'embedded', label, 'stuck', fifo], { stdio: 'ignore' })
      children.push({ child, label })
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
      const deadline = Date.now() + 30_000
      while (postmasters().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      expect(postmasters()).toHaveLength(1)
      expect(folders()).toHaveLength(1)
      end(child)
      const how = await exited
      return { how, left: running(), folders: folders() }
    })

    it.skipIf(!distBuilt)('SIGINT kills the starting server and removes its folder', async () => {
      const { how, left, folders } = await endWhileStuck('cleanup-sigint-stuck', (child) => child.kill('SIGINT'))
      expect(how).toEqual({ code: null, signal: 'SIGINT' })
      expect(left).toEqual([])
      expect(folders).toEqual([])
    })

    it.skipIf(!distBuilt)('process.exit kills it synchronously and removes its folder', async () => {
      const { how, left, folders } = await endWhileStuck('cleanup-exit-stuck', (child) => child.kill('SIGUSR2'))
      expect(how).toEqual({ code: 0, signal: null })
      expect(left).toEqual([])
      expect(folders).toEqual([])
    })
  })

  it.skipIf(!distBuilt)('with the embedder\'s own SIGINT listener (the CLI), cleanup happens and the embedder decides how to end', async () => {
    const { child, info, exited } = await hold('embedded', 'cleanup-listener', 'listener')
    const pid = postmasterPid(info.dataDir)
    child.kill('SIGINT')
    // Not killed by a re-raised signal (which the CLI would take for a second Ctrl-C): it ends on its own.
    expect(await exited).toEqual({ code: 130, signal: null })
    expect(pidAlive(pid)).toBe(false)
    expect(existsSync(rootOf(info.dataDir))).toBe(false)
  })

  it.skipIf(!distBuilt)('process.exit with a live cluster kills it synchronously', async () => {
    const { info, exited } = await hold('embedded', 'cleanup-exit', 'exit')
    expect((await exited).code).toBe(0)
    expect(existsSync(rootOf(info.dataDir))).toBe(false)
    await expect(execOn(info.url, 'SELECT 1')).rejects.toThrow()
  })

  it.skipIf(!distBuilt)('sweep removes what a SIGKILLed run left: shuts its postmaster down and deletes the folder', async () => {
    const { child, info, exited } = await hold('embedded', 'cleanup-crash')
    const pid = postmasterPid(info.dataDir)
    child.kill('SIGKILL')
    await exited
    // SIGKILL gives no chance to clean up: the server outlives its owner.
    expect(pidAlive(pid)).toBe(true)
    const result = await sweep({ label: 'cleanup-crash', docker: false })
    expect(result.servers).toEqual([pid])
    expect(result.folders).toEqual([rootOf(info.dataDir)])
    expect(pidAlive(pid)).toBe(false)
    expect(existsSync(rootOf(info.dataDir))).toBe(false)
  })

  it.skipIf(!distBuilt)('`koinonia-db sweep` does the same from the command line', async () => {
    const { child, info, exited } = await hold('embedded', 'cleanup-cli')
    const pid = postmasterPid(info.dataDir)
    child.kill('SIGKILL')
    await exited
    const cli = spawnSync(process.execPath, [join(here, '../../../dist/cli/main.cjs'), 'sweep', '--label', 'cleanup-cli', '--format', 'json'], { encoding: 'utf8' })
    expect(cli.status, cli.stderr).toBe(0)
    const result = JSON.parse(cli.stdout)
    expect(result.servers).toEqual([pid])
    expect(result.folders).toEqual([rootOf(info.dataDir)])
    expect(pidAlive(pid)).toBe(false)
    expect(existsSync(rootOf(info.dataDir))).toBe(false)
  })

  it('sweep also kills a postmaster whose start never wrote postmaster.pid, left by a run that died', async () => {
    await withStuckConfig(async (fifo) => {
      const bins = prepareEmbedded(findEmbeddedPackage(15))
      const cluster = await LocalCluster.create({ bindir: bins.bindir, label: 'cleanup-stuckcrash', startTimeoutSeconds: 0, settings: { include: `'${fifo}'` } })
      await expect(cluster.start()).rejects.toMatchObject({ code: 'KDB_PG_START_TIMEOUT' })
      // The run dies here without cleaning up: its owner file names a process that is gone.
      const dead = spawnSync(process.execPath, ['-e', 'process.pid'])
      writeFileSync(join(cluster.root, OWNER_FILE), JSON.stringify({ pid: dead.pid, host: hostname(), label: 'cleanup-stuckcrash', createdAt: new Date().toISOString() }))
      const stuck = processesOn(cluster.dataDir)
      expect(stuck).toHaveLength(1)
      expect(existsSync(join(cluster.dataDir, 'postmaster.pid'))).toBe(false)
      const result = await sweep({ label: 'cleanup-stuckcrash', docker: false })
      expect(result.servers).toEqual(stuck)
      expect(result.folders).toEqual([cluster.root])
      expect(pidAlive(stuck[0])).toBe(false)
      expect(processesOn(cluster.dataDir)).toEqual([])
    })
  })

  it('sweep leaves the folders of live runs alone', async () => {
    await using pg = await startPostgres({ label: 'cleanup-live' })
    const dataDir = (await execOn(pg.url, 'SHOW data_directory')).rows[0].data_directory
    const result = await sweep({ label: 'cleanup-live', docker: false })
    expect(result.folders).toEqual([])
    expect(result.skipped.map((s) => s.what)).toContain(rootOf(dataDir))
    expect((await execOn(pg.url, 'SELECT 1 AS one')).rows[0].one).toBe(1)
  })
})

const docker = await dockerAvailable()
const dockerWhy = !docker.ok ? docker.reason : !(await dockerImagePresent('postgres:15')) ? 'image postgres:15 is not present (.ci/docker-setup.sh)' : null
if (dockerWhy) console.warn(`container cleanup test skipped: ${dockerWhy}`)

describe.skipIf(!distBuilt || dockerWhy !== null)('cleanup of containers', () => {
  it('SIGINT to a process holding a testcontainers server removes the container', async () => {
    const { child, exited } = await hold('testcontainers', 'cleanup-tc-sigint')
    expect(await listContainers('koinonia-db=cleanup-tc-sigint')).toHaveLength(1)
    child.kill('SIGINT')
    expect((await exited).signal).toBe('SIGINT')
    expect(await listContainers('koinonia-db=cleanup-tc-sigint')).toEqual([])
  })
})
