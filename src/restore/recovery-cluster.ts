import { setTimeout as delay } from 'node:timers/promises'
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { EnvironmentError, UsageError } from '../errors.js'
import { execOn } from '../postgres/cluster-handle.js'
import { freePort } from '../postgres/free-port.js'
import { TEMP_PREFIX } from '../postgres/local-cluster.js'
import { asPostgres, chownToPostgres, postgresOsUser } from '../postgres/os-user.js'
import { OWNER_FILE, markOwned } from '../postgres/owner-file.js'
import { killProcessesOn } from '../postgres/postmaster.js'
import { chownTree } from './fs-utils.js'

const run = promisify(execFile)

// Settings a restored copy must never inherit from production: it must not archive into production's
// archive, follow production's primary, or stop at a target someone left in postgresql.auto.conf.
const INHERITED = [
  'archive_mode', 'archive_command', 'archive_library', 'restore_command', 'archive_cleanup_command',
  'recovery_end_command', 'primary_conninfo', 'primary_slot_name', 'promote_trigger_file',
  'recovery_target', 'recovery_target_lsn', 'recovery_target_name', 'recovery_target_time', 'recovery_target_xid',
  'recovery_target_inclusive', 'recovery_target_timeline', 'recovery_target_action',
  'port', 'listen_addresses', 'unix_socket_directories', 'logging_collector', 'log_directory', 'log_filename',
]
const CLEARED = INHERITED.filter((k) => /command|library|conninfo|slot|trigger|^recovery_target(_lsn|_name|_time|_xid)?$/.test(k))

export interface RecoveryClusterOptions {
  bindir: string
  /** Parent folder; default the OS temp folder. The cluster lives in a fresh `koinonia-drill-*` folder inside. */
  workDir?: string
  port?: number
}

/** The server runs as the postgres OS user: it must be able to reach its data directory inside `dir`. */
function assertServerCanEnter(dir: string): void {
  if (!postgresOsUser()) return
  try {
    execFileSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', dir], { ...asPostgres(), stdio: 'ignore' })
  } catch {
    throw new UsageError('KDB_DRILL_WORKDIR', `the postgres OS user cannot enter ${dir}`, {
      hint: `Give a work folder the server can reach (chown postgres ${dir}, or chmod o+x on it and its parents).`,
    })
  }
}

/**
 * A cluster started from a restored data directory in recovery mode, in its own folder and port.
 * Unlike LocalCluster it starts without waiting: recovery is watched step by step (see watch-recovery.ts).
 */
export class RecoveryCluster {
  readonly root: string
  readonly dataDir: string
  readonly logFile: string
  port = 0
  private started = false
  private startedAt = 0

  constructor(readonly options: RecoveryClusterOptions) {
    const parent = resolve(options.workDir ?? tmpdir())
    mkdirSync(parent, { recursive: true })
    assertServerCanEnter(parent)
    this.root = mkdtempSync(join(parent, `${TEMP_PREFIX}drill-`))
    // sweep() leaves a live drill alone and removes a crashed one's folder and server.
    markOwned(this.root, 'drill')
    chownToPostgres(this.root)
    this.dataDir = join(this.root, 'data')
    this.logFile = join(this.root, 'postgres.log')
  }

  get url(): string {
    return this.urlFor('postgres')
  }

  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${encodeURIComponent(database)}`
  }

  async sql(query: string, database = 'postgres', params: unknown[] = []) {
    return execOn(this.urlFor(database), query, params)
  }

  /** Makes the restored files ours to run: owned by the server user, mode 0700, no stale pid or signal files. */
  adoptDataDir(): void {
    for (const stale of ['postmaster.pid', 'postmaster.opts', 'standby.signal']) rmSync(join(this.dataDir, stale), { force: true })
    mkdirSync(join(this.dataDir, 'pg_wal'), { recursive: true })
    chownTree(this.dataDir)
    chmodSync(this.dataDir, 0o700)
  }

  /**
   * Rewrites postgresql.auto.conf without the inherited recovery/archive settings, then adds ours
   * (auto.conf is read last, so it also overrides postgresql.conf). Values must already be quoted.
   */
  configure(settings: Record<string, string>, options: { recoverySignal: boolean; preserve?: string[] }): void {
    const auto = join(this.dataDir, 'postgresql.auto.conf')
    const preserve = new Set(options.preserve ?? [])
    const strip = (key: string) => INHERITED.includes(key) && !preserve.has(key)
    const kept = existsSync(auto)
      ? readFileSync(auto, 'utf8').split('\n').filter((line) => !strip(/^\s*([\w.]+)\s*=/.exec(line)?.[1] ?? ''))
      : []
    // Empty values first: a recovery_target_* cleared after the real one reads as "multiple recovery targets specified".
    const cleared = Object.fromEntries(CLEARED.filter((k) => !preserve.has(k) && !(k in settings)).map((k) => [k, "''"]))
    const ours = { ...cleared, archive_mode: 'off', logging_collector: 'off', listen_addresses: "'127.0.0.1'",
      port: String(this.port), unix_socket_directories: `'${this.root}'`, ...settings }
    const lines = Object.entries(ours).map(([k, v]) => `${k} = ${v}`)
    writeFileSync(auto, `${kept.join('\n').trim()}\n# koinonia-db drill: restored copy, isolated\n${lines.join('\n')}\n`)
    if (options.recoverySignal) writeFileSync(join(this.dataDir, 'recovery.signal'), '')
    chownTree(this.dataDir)
  }

  async assignPort(): Promise<number> {
    this.port = this.options.port ?? (await freePort())
    return this.port
  }

  /** Starts postmaster without waiting for connections (recovery may take hours; the watcher decides). */
  async start(): Promise<void> {
    if (!existsSync(this.logFile)) {
      writeFileSync(this.logFile, '')
      chownToPostgres(this.logFile)
    }
    await this.pgCtl(['-D', this.dataDir, '-l', this.logFile, '-W', 'start'])
    this.started = true
    this.startedAt = Date.now()
  }

  private async pgCtl(args: string[], timeoutMs = 120_000) {
    try {
      return await run(join(this.options.bindir, 'pg_ctl'), args, { ...asPostgres(), cwd: this.root, timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } })
    } catch (error) {
      const e = error as { stderr?: string; message: string }
      throw new EnvironmentError('KDB_DRILL_PG_CTL', `pg_ctl ${args.at(-1)} failed: ${(e.stderr || e.message).trim()}`, {
        hint: `See ${this.logFile}.`, cause: error,
      })
    }
  }

  /** The postmaster's pid while it runs, else undefined. */
  postmasterPid(): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
      process.kill(pid, 0)
      return pid
    } catch {
      return undefined
    }
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8')
    } catch {
      return ''
    }
  }

  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.started) return
    // `pg_ctl -W start` returns before the postmaster writes postmaster.pid: a stop right after the start
    // (Ctrl-C) must wait for it, or the server would come up after its folder was removed.
    for (let i = 0; this.postmasterPid() === undefined && Date.now() - this.startedAt < 10_000 && i < 30; i++) await delay(100)
    if (this.postmasterPid() !== undefined) await this.pgCtl(['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']).catch(() => undefined)
    const pid = this.postmasterPid()
    if (pid !== undefined) process.kill(pid, 'SIGKILL')
    this.started = false
  }

  /**
   * A kept cluster outlives this process: without an owner file, sweep() skips it while its postmaster
   * runs and removes it once stopped.
   */
  disown(): void {
    rmSync(join(this.root, OWNER_FILE), { force: true })
  }

  remove(): void {
    // A server process that was killed a moment ago may still be closing files in it.
    rmSync(this.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
  }

  async destroy(mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
    try {
      await this.stop(mode)
    } finally {
      // A restore tool stopped mid-copy (barman recover's rsync, pgBackRest's workers) may leave children
      // still writing here.
      await killProcessesOn(this.root)
      this.remove()
    }
  }
}
