import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'
import { SYSTEM_SCHEMA_FILTER, tableKey } from './catalog.js'

/** pg_locks spells modes like `AccessExclusiveLock`; these block ordinary writes (INSERT/UPDATE/DELETE). */
export const WRITE_BLOCKING = new Set(['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'])
const LOCK_ORDER = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']

/** `ACCESS EXCLUSIVE` (linter, docs spelling) → `AccessExclusiveLock` (pg_locks spelling). */
export function pgLockName(mode: string): string {
  return `${mode.toLowerCase().split(' ').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Lock`
}

export function lockRank(mode: string): number {
  return LOCK_ORDER.indexOf(mode)
}

export function strongestLock(modes: string[]): string | null {
  return modes.reduce<string | null>((best, m) => (best === null || lockRank(m) > lockRank(best) ? m : best), null)
}

interface Relation { key: string; kind: string; filenode: string }

/**
 * Everything one observation needs, in one round trip: whether a transaction block is open (in the first
 * command of a transaction both timestamps are equal — Postgres docs, "Current Date/Time" — so equal
 * means autocommit), our relation locks, sequential tuples read per table (our transaction's, and
 * everyone's flushed totals), and optionally every user relation with its relfilenode.
 */
const STATE_SQL = (withRelations: boolean) => `SELECT now() <> statement_timestamp() AS open,
  (SELECT COALESCE(json_agg(json_build_object('oid', relation::text, 'mode', mode)), '[]') FROM pg_locks WHERE locktype = 'relation' AND pid = pg_backend_pid()) AS locks,
  (SELECT COALESCE(json_object_agg(relid::text, seq_tup_read), '{}') FROM pg_stat_xact_user_tables) AS xact,
  (SELECT COALESCE(json_object_agg(relid::text, seq_tup_read), '{}') FROM pg_stat_user_tables) AS total
  ${withRelations ? `, (SELECT COALESCE(json_agg(json_build_object('oid', c.oid::text, 's', n.nspname, 'name', c.relname, 'kind', c.relkind, 'filenode', c.relfilenode::text)), '[]')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'i', 'm') AND ${SYSTEM_SCHEMA_FILTER}) AS relations` : ''}`

interface State {
  open: boolean
  locks: Array<{ oid: string; mode: string }>
  xact: Record<string, number>
  total: Record<string, number>
  relations?: Array<{ oid: string; s: string; name: string; kind: string; filenode: string }>
}

function relationMap(state: State): Map<string, Relation> {
  return new Map((state.relations ?? []).map((r) => [r.oid, { key: tableKey(r.s, r.name), kind: r.kind, filenode: r.filenode }]))
}

export interface StatementObservation {
  /** `AccessExclusiveLock on "Contact"`: table locks this statement's backend took on tables that existed before the migrations. */
  locks: string[]
  /** Table → strongest lock mode, for comparison with the linter. */
  lockByTable: Record<string, string>
  /** Tables whose storage was rewritten (relfilenode changed). */
  rewrote: string[]
  rewroteIndexes: string[]
  /** Tables this statement read in full (sequential scan of at least all their rows): an index build, a validation. */
  scanned: string[]
  /**
   * How locks were seen: 'transaction' read in the open transaction after the statement; 'event-trigger'
   * reported by a ddl_command_end event trigger inside the statement (exact, DDL only); 'sampled' polled
   * from a second session while it ran (a statement faster than the poll shows none).
   */
  lockSource: 'transaction' | 'event-trigger' | 'sampled'
  /** Table → strongest lock the transaction already held before this statement (an earlier statement took it). */
  alreadyHeld: Record<string, string>
}

const LOCKS_SQL = `SELECT relation::text AS oid, mode FROM pg_locks WHERE locktype = 'relation' AND pid = $1`

const NOTICE_PREFIX = 'koinonia-db-locks '
const OBSERVE_SCHEMA = 'koinonia_observe'
/**
 * In autocommit a statement's locks are gone by the time we can ask. An event trigger at
 * ddl_command_end runs inside the statement, while they are still held, and sends them to our session
 * as a NOTICE (https://www.postgresql.org/docs/current/event-trigger-definition.html). It lives in its
 * own schema, holds no table, and is removed after the replay.
 */
const INSTALL_TRIGGER = `
CREATE SCHEMA ${OBSERVE_SCHEMA};
CREATE FUNCTION ${OBSERVE_SCHEMA}.report_locks() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE NOTICE '${NOTICE_PREFIX}%', (SELECT COALESCE(json_agg(json_build_object('oid', relation::text, 'mode', mode)), '[]')
    FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted);
END $fn$;
CREATE EVENT TRIGGER koinonia_observe_locks ON ddl_command_end EXECUTE FUNCTION ${OBSERVE_SCHEMA}.report_locks();`
const REMOVE_TRIGGER = `DROP EVENT TRIGGER IF EXISTS koinonia_observe_locks; DROP SCHEMA IF EXISTS ${OBSERVE_SCHEMA} CASCADE;`

/**
 * Watches the statements of one migration on the migration's own connection: relfilenodes before and
 * after each statement (read on the same connection, so an uncommitted rewrite is visible), and the
 * relation locks its backend holds — read in the open transaction when there is one (they are held
 * until commit), otherwise sampled from a second session while the statement runs.
 */
export class MigrationObserver {
  private preexisting = new Map<string, Relation>()
  /** Relations as the previous statement left them: the next statement's "before". */
  private current = new Map<string, Relation>()
  private heldBefore = new Set<string>()
  private tuplesBefore: Record<string, number> = {}
  private sampled = new Set<string>()
  private sampling: Promise<void> | null = null
  private stopSampling = false
  private pid = 0
  /** Whether the statement about to run is inside an open transaction block (decided per statement). */
  private transactional = false
  private triggered = new Set<string>()
  private trigger = false
  private readonly onNotice = (notice: { message?: string }) => {
    if (!notice.message?.startsWith(NOTICE_PREFIX)) return
    for (const lock of JSON.parse(notice.message.slice(NOTICE_PREFIX.length)) as Array<{ oid: string; mode: string }>) {
      const label = this.lockLabel(lock.oid, lock.mode)
      if (label) this.triggered.add(label)
    }
  }

  constructor(private readonly client: pg.ClientBase, private readonly side: pg.ClientBase, private readonly sampleMs = 2) {}

  private async state(withRelations: boolean): Promise<State> {
    return (await this.client.query(STATE_SQL(withRelations))).rows[0]
  }

  /** Call once before the migrations run: relations that exist now are the ones a lock on can hurt. */
  async start(): Promise<void> {
    // Our own earlier reads (the baseline's full scans) must reach the shared statistics now, or the first
    // autocommit statement would be charged with them.
    this.pid = (await this.client.query('SELECT pg_backend_pid() AS pid, pg_stat_force_next_flush()')).rows[0].pid
    this.preexisting = relationMap(await this.state(true))
    this.current = this.preexisting
    try {
      await this.client.query(INSTALL_TRIGGER)
      this.trigger = true
      this.client.on('notice', this.onNotice)
    } catch {
      // Not a superuser (url provider with a plain role): sampling alone.
      await this.client.query('ROLLBACK').catch(() => undefined)
    }
  }

  /** Removes the event trigger; call after the replay, before comparing schemas. */
  async stop(): Promise<void> {
    await this.cancel()
    if (!this.trigger) return
    this.client.removeListener('notice', this.onNotice)
    await this.client.query(REMOVE_TRIGGER)
    this.trigger = false
  }

  /** Whether a table existed before the migrations ran. */
  existedBefore(table: string): boolean {
    return [...this.preexisting.values()].some((r) => r.key === table && r.kind !== 'i')
  }

  private lockLabel(oid: string, mode: string): string | null {
    const rel = this.preexisting.get(oid)
    return rel && rel.kind !== 'i' ? `${mode}|${rel.key}` : null
  }

  private labels(locks: State['locks']): Set<string> {
    return new Set(locks.map((l) => this.lockLabel(l.oid, l.mode)).filter((l): l is string => l !== null))
  }

  /**
   * Sequential tuples read per table. In a transaction, pg_stat_xact_user_tables counts our own backend
   * exactly; in autocommit our counts are flushed on demand (pg_stat_force_next_flush, Postgres 15+)
   * and read from pg_stat_user_tables, where other sessions (the --load canary) add a few tuples.
   */
  private tuples(state: State): Record<string, number> {
    return this.transactional ? state.xact : state.total
  }

  async beforeStatement(): Promise<void> {
    const state = await this.state(false)
    this.transactional = state.open
    this.heldBefore = this.labels(state.locks)
    this.tuplesBefore = this.tuples(state)
    this.sampled = new Set()
    this.triggered = new Set()
    this.stopSampling = false
    // Inside a transaction the locks stay held until commit and are read exactly afterwards; sampling is only needed in autocommit.
    this.sampling = this.transactional ? null : this.sample()
  }

  private async sample(): Promise<void> {
    while (!this.stopSampling) {
      try {
        for (const r of (await this.side.query(LOCKS_SQL, [this.pid])).rows) {
          const label = this.lockLabel(r.oid, r.mode)
          if (label) this.sampled.add(label)
        }
      } catch {
        return
      }
      await sleep(this.sampleMs)
    }
  }

  /** Stops a sampler left running by a statement that failed (no afterStatement follows it). */
  async cancel(): Promise<void> {
    this.stopSampling = true
    await this.sampling
    this.sampling = null
  }

  async afterStatement(rowsOf: (table: string) => number): Promise<StatementObservation> {
    await this.cancel()
    if (!this.transactional) await this.client.query('SELECT pg_stat_force_next_flush()').catch(() => undefined)
    const state = await this.state(true)
    const held = this.labels(state.locks)
    const fresh = (labels: Iterable<string>) => [...labels].filter((l) => !this.heldBefore.has(l))
    const labels = new Set([...this.sampled, ...fresh(this.triggered), ...fresh(held)])
    const tuples = this.tuples(state)
    const scanned: string[] = []
    for (const [oid, n] of Object.entries(tuples)) {
      const rel = this.preexisting.get(oid)
      const rows = rel ? rowsOf(rel.key) : 0
      if (rel && rows > 0 && n - (this.tuplesBefore[oid] ?? 0) >= rows) scanned.push(rel.key)
    }
    const after = relationMap(state)
    const rewrote: string[] = []
    const rewroteIndexes: string[] = []
    for (const [oid, rel] of this.current) {
      const now = after.get(oid)
      if (!now || now.filenode === rel.filenode || !this.preexisting.has(oid)) continue
      ;(rel.kind === 'i' ? rewroteIndexes : rewrote).push(rel.key)
    }
    this.current = after
    const byTable = (set: Iterable<string>) => {
      const out: Record<string, string> = {}
      for (const label of set) {
        const [mode, table] = label.split('|')
        out[table] = strongestLock([mode, out[table]].filter(Boolean))!
      }
      return out
    }
    const lockByTable = byTable(labels)
    return {
      locks: Object.entries(lockByTable).sort().map(([t, m]) => `${m} on "${t}"`),
      lockByTable,
      rewrote: rewrote.sort(),
      rewroteIndexes: rewroteIndexes.sort(),
      scanned: scanned.sort(),
      lockSource: this.transactional ? 'transaction' : this.triggered.size ? 'event-trigger' : 'sampled',
      alreadyHeld: byTable(this.heldBefore),
    }
  }
}
