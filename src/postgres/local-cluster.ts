import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { EnvironmentError } from '../errors.js'
import { registerCleanup } from './cleanup-registry.js'
import { freePort } from './free-port.js'
import { markOwned } from './owner-file.js'
import { killPostmaster, killProcessesOn, livePostmasterPid, processesOn, waitForExit } from './postmaster.js'
import { asPostgres, chownToPostgres, postgresOsUser } from './os-user.js'

const run = promisify(execFile)

export interface LocalClusterOptions {
  /** Folder with initdb, pg_ctl and postgres. */
  bindir: string
  /** Extra LD_LIBRARY_PATH (embedded binaries ship their own libraries). */
  libdir?: string
  /** Label in the temp folder name, so a crashed run can be swept: `koinonia-<label>-`. */
  label?: string
  settings?: Record<string, string>
  /** Use an existing data directory instead of running initdb (restored backups). */
  dataDir?: string
  port?: number
  startTimeoutSeconds?: number
}

/** Prefix of every temp folder we create; `sweep` removes leftovers of crashed runs. */
export const TEMP_PREFIX = 'koinonia-'

/**
 * A Postgres cluster in a temp folder, run with pg_ctl as the postgres OS user when we are root.
 * Shared by the system and embedded providers and by restore drills.
 */
export class LocalCluster {
  readonly root: string
  readonly dataDir: string
  readonly logFile: string
  port = 0
  private running = false
  private removed = false
  private readonly unregister: () => void

  private constructor(readonly options: LocalClusterOptions) {
    const label = options.label ?? 'pg'
    this.root = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${label}-`))
    markOwned(this.root, label)
    chownToPostgres(this.root)
    this.dataDir = options.dataDir ?? join(this.root, 'data')
    this.logFile = join(this.root, 'postgres.log')
    this.unregister = registerCleanup({
      description: `Postgres cluster in ${this.root}`,
      stop: () => this.destroy(),
      killSync: () => this.killSync(),
    })
  }

  static async create(options: LocalClusterOptions): Promise<LocalCluster> {
    const cluster = new LocalCluster(options)
    try {
      cluster.checkReachable()
      if (!options.dataDir) await cluster.initdb()
      return cluster
    } catch (error) {
      cluster.remove()
      throw error
    }
  }

  /** As root the server runs as postgres, which must reach our folder: a root-only TMPDIR (/root/tmp) would fail obscurely in initdb. */
  private checkReachable(): void {
    if (!postgresOsUser()) return
    const probe = spawnSync('/bin/sh', ['-c', 'test -w "$1" && test -x "$1"', 'sh', this.root], asPostgres())
    if (probe.status !== 0)
      throw new EnvironmentError('KDB_TMPDIR_UNREACHABLE', `the postgres OS user cannot reach ${this.root}`, {
        hint: `Set TMPDIR to a folder every user can traverse (e.g. /tmp); ${dirname(this.root)} is not.`,
      })
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' }
    if (this.options.libdir) env.LD_LIBRARY_PATH = [this.options.libdir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':')
    return env
  }

  /** Runs a binary of this cluster's bindir as the postgres OS user. */
  async exec(tool: string, args: string[], timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
    try {
      return await run(join(this.options.bindir, tool), args, { ...asPostgres(), env: this.env(), cwd: this.root, timeout: timeoutMs })
    } catch (error) {
      const e = error as { stderr?: string; message: string }
      throw new EnvironmentError('KDB_PG_TOOL_FAILED', `${tool} failed: ${(e.stderr || e.message).trim()}`, {
        hint: `See ${this.logFile} for the server log.`, cause: error,
      })
    }
  }

  private async initdb(): Promise<void> {
    await this.exec('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'])
  }

  /**
   * Starts the server on a free port of 127.0.0.1 and waits until it accepts connections. The port is
   * free when picked but another process (parallel test workers) may bind it first: then we try another.
   */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce()
        return
      } catch (error) {
        const portTaken = /Address already in use|could not create any TCP\/IP sockets/i.test(this.logTail(20))
        if (!portTaken || this.options.port !== undefined || attempt >= 3) throw error
        await this.stop('immediate')
      }
    }
  }

  private async startOnce(): Promise<void> {
    this.port = this.options.port ?? (await freePort())
    const settings: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      port: String(this.port),
      unix_socket_directories: `'${this.root}'`,
      fsync: 'off',
      ...this.options.settings,
    }
    // Appended each attempt: in postgresql.auto.conf the last value of a setting wins.
    const conf = Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n')
    appendFileSync(join(this.dataDir, 'postgresql.auto.conf'), `\n# koinonia-db\n${conf}\n`)
    if (!existsSync(this.logFile)) {
      writeFileSync(this.logFile, '')
      chownToPostgres(this.logFile)
    }
    const timeout = this.options.startTimeoutSeconds ?? 60
    // Marked running before pg_ctl returns: a start that times out may still leave a postmaster to stop.
    this.running = true
    try {
      await this.exec('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', String(timeout), 'start'], (timeout + 10) * 1000)
    } catch (error) {
      const timedOut = /did not start in time|timed out|ETIMEDOUT/i.test(String((error as Error).message)) ||
        (error as { cause?: { killed?: boolean } }).cause?.killed === true
      throw timedOut
        ? new EnvironmentError('KDB_PG_START_TIMEOUT', `Postgres did not start within ${timeout}s: ${this.logTail()}`, {
          hint: `See ${this.logFile}; a slow or overloaded machine may need a longer start timeout.`, cause: error,
        })
        : new EnvironmentError('KDB_PG_START_FAILED', `Postgres did not start: ${this.logTail()}`, {
          hint: `See ${this.logFile}.`, cause: error,
        })
    }
  }

  logTail(lines = 5): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join(' | ')
    } catch {
      return '(no log)'
    }
  }

  async stop(mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.running) return
    const pid = livePostmasterPid(this.dataDir)
    if (pid === null) {
      // No server that pg_ctl can see; a start that timed out may still have left one on its way up.
      await killProcessesOn(this.dataDir)
      this.running = false
      return
    }
    const stopped = await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']).then(() => true, () => false)
    // pg_ctl failing while the postmaster lives (hung shutdown, broken binaries) must not leave a server
    // running on a folder we are about to delete: SIGQUIT is Postgres' immediate shutdown.
    if (!stopped) await killPostmaster(this.dataDir)
    await waitForExit(pid)
    this.running = false
  }

  get isRunning(): boolean {
    return this.running
  }

  remove(): void {
    // A data directory passed in belongs to the caller; only our temp folder is removed.
    // Retries: a server process that has just been killed may still be closing files in it.
    rmSync(this.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
    this.removed = true
    this.unregister()
  }

  private destroying: Promise<void> | null = null

  /** Stops the server and removes the temp folder. Idempotent; concurrent calls share one run. */
  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      await this.stop('fast')
      if (!this.removed) this.remove()
    })()
    return this.destroying
  }

  /** Last resort on process exit: immediate shutdown and removal, synchronously. */
  killSync(): void {
    if (this.running) {
      try {
        execFileSync(join(this.options.bindir, 'pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop'], {
          ...asPostgres(), env: this.env(), cwd: this.root, stdio: 'ignore', timeout: 15_000,
        })
      } catch {
        // No server pg_ctl can see, or pg_ctl unusable. A start still on its way up (no postmaster.pid
        // yet) is killed here, as stop() does; sweep() handles what else remains.
        for (const pid of processesOn(this.dataDir)) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            // gone meanwhile
          }
        }
      }
      this.running = false
    }
    if (!this.removed) this.remove()
  }
}
