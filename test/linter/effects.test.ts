import { beforeAll, describe, expect, it } from 'vitest'
import { statementEffects } from '../../src/linter/effects.js'
import { ensureParser, parseStatements } from '../../src/linter/parse.js'
import { LOCK_MODES as LOCK_ORDER, type LockMode } from '../../src/linter/types.js'

interface Row {
  sql: string
  lock: LockMode | null
  table?: string | null
  rewrite?: boolean
  scan?: boolean
  pg?: number
}

// Lock levels from https://www.postgresql.org/docs/current/sql-altertable.html and
// AlterTableGetLockLevel() in src/backend/commands/tablecmds.c.
const TABLE: Row[] = [
  { sql: 'ALTER TABLE users ADD COLUMN bio text', lock: 'ACCESS EXCLUSIVE', table: 'users', rewrite: false, scan: false },
  { sql: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free'", lock: 'ACCESS EXCLUSIVE', rewrite: false },
  { sql: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()', lock: 'ACCESS EXCLUSIVE', rewrite: true, scan: true },
  { sql: 'ALTER TABLE users ADD COLUMN n bigserial', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE users ADD COLUMN n int GENERATED ALWAYS AS IDENTITY', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) VIRTUAL', lock: 'ACCESS EXCLUSIVE', rewrite: false },
  { sql: 'ALTER TABLE t ADD COLUMN u int UNIQUE', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t ADD COLUMN r int REFERENCES u (id)', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t DROP COLUMN a', lock: 'ACCESS EXCLUSIVE', rewrite: false, scan: false },
  { sql: 'ALTER TABLE t ALTER COLUMN a TYPE bigint', lock: 'ACCESS EXCLUSIVE', rewrite: true, scan: true },
  { sql: 'ALTER TABLE t ALTER COLUMN a TYPE text', lock: 'ACCESS EXCLUSIVE', rewrite: false },
  { sql: 'ALTER TABLE t ALTER COLUMN a TYPE varchar(10) USING a::varchar', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE t ALTER COLUMN a SET DEFAULT 0', lock: 'ACCESS EXCLUSIVE', rewrite: false, scan: false },
  { sql: 'ALTER TABLE t ALTER COLUMN a SET NOT NULL', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL', lock: 'ACCESS EXCLUSIVE', scan: false },
  { sql: 'ALTER TABLE t ALTER COLUMN a SET STATISTICS 500', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'ALTER TABLE t ALTER COLUMN a SET (n_distinct = 100)', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'ALTER TABLE t SET (fillfactor = 70)', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)', lock: 'SHARE ROW EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID', lock: 'SHARE ROW EXCLUSIVE', scan: false },
  { sql: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID', lock: 'ACCESS EXCLUSIVE', scan: false },
  { sql: 'ALTER TABLE t VALIDATE CONSTRAINT c', lock: 'SHARE UPDATE EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t ADD CONSTRAINT k UNIQUE (a)', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX k', lock: 'ACCESS EXCLUSIVE', scan: false },
  { sql: 'ALTER TABLE t ADD PRIMARY KEY (a)', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t ADD CONSTRAINT x EXCLUDE USING gist (a WITH &&)', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE t DROP CONSTRAINT c', lock: 'ACCESS EXCLUSIVE' },
  { sql: 'ALTER TABLE t ALTER CONSTRAINT fk DEFERRABLE', lock: 'ACCESS EXCLUSIVE' },
  { sql: 'ALTER TABLE t SET LOGGED', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE t SET UNLOGGED', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE t SET TABLESPACE archive', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE t SET ACCESS METHOD heap', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER TABLE t CLUSTER ON t_idx', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'ALTER TABLE t ENABLE TRIGGER trg', lock: 'SHARE ROW EXCLUSIVE' },
  { sql: 'ALTER TABLE t DISABLE TRIGGER ALL', lock: 'SHARE ROW EXCLUSIVE' },
  { sql: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY', lock: 'ACCESS EXCLUSIVE' },
  { sql: 'ALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM (1) TO (2)', lock: 'SHARE UPDATE EXCLUSIVE', scan: true },
  { sql: 'ALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM (1) TO (2)', lock: 'ACCESS EXCLUSIVE', pg: 11 },
  { sql: 'ALTER TABLE m DETACH PARTITION m_2020', lock: 'ACCESS EXCLUSIVE' },
  { sql: 'ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'ALTER TABLE t ADD COLUMN a int, ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)', lock: 'ACCESS EXCLUSIVE', scan: true },
  { sql: 'ALTER INDEX i SET (fillfactor = 80)', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'ALTER INDEX i SET TABLESPACE archive', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ALTER INDEX i RENAME TO j', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'ALTER INDEX i RENAME TO j', lock: 'ACCESS EXCLUSIVE', pg: 11 },
  { sql: 'ALTER TABLE t RENAME COLUMN a TO b', lock: 'ACCESS EXCLUSIVE', table: 't' },
  { sql: 'ALTER TABLE t RENAME TO u', lock: 'ACCESS EXCLUSIVE', table: 't' },
  { sql: 'CREATE INDEX i ON t (a)', lock: 'SHARE', table: 't', scan: true },
  { sql: 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)', lock: 'SHARE UPDATE EXCLUSIVE', scan: true },
  { sql: 'DROP INDEX i', lock: 'ACCESS EXCLUSIVE', table: null },
  { sql: 'DROP INDEX CONCURRENTLY i', lock: 'SHARE UPDATE EXCLUSIVE' },
  { sql: 'DROP TABLE billing.invoices', lock: 'ACCESS EXCLUSIVE', table: 'billing.invoices' },
  { sql: 'DROP TRIGGER trg ON orders', lock: 'ACCESS EXCLUSIVE', table: 'orders' },
  { sql: 'TRUNCATE a, b', lock: 'ACCESS EXCLUSIVE', table: 'a' },
  { sql: 'VACUUM t', lock: 'SHARE UPDATE EXCLUSIVE', rewrite: false, scan: true },
  { sql: 'VACUUM FULL t', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'ANALYZE t', lock: 'SHARE UPDATE EXCLUSIVE', rewrite: false },
  { sql: 'CLUSTER t USING i', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'REINDEX TABLE t', lock: 'SHARE', rewrite: true },
  { sql: 'REINDEX INDEX i', lock: 'ACCESS EXCLUSIVE', table: 'i' },
  { sql: 'REINDEX TABLE CONCURRENTLY t', lock: 'SHARE UPDATE EXCLUSIVE', rewrite: true },
  { sql: 'UPDATE t SET a = 1', lock: 'ROW EXCLUSIVE', scan: true },
  { sql: 'DELETE FROM t WHERE a = 1', lock: 'ROW EXCLUSIVE', scan: true },
  { sql: 'INSERT INTO t (a) VALUES (1)', lock: 'ROW EXCLUSIVE', scan: false },
  { sql: 'CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', lock: 'SHARE ROW EXCLUSIVE', table: 't' },
  { sql: 'CREATE POLICY p ON t USING (true)', lock: 'ACCESS EXCLUSIVE', table: 't' },
  { sql: 'REFRESH MATERIALIZED VIEW mv', lock: 'ACCESS EXCLUSIVE', rewrite: true },
  { sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv', lock: 'EXCLUSIVE' },
  { sql: 'LOCK TABLE t', lock: 'ACCESS EXCLUSIVE' },
  { sql: 'LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE', lock: 'SHARE ROW EXCLUSIVE' },
  { sql: 'LOCK TABLE t IN ACCESS SHARE MODE', lock: 'ACCESS SHARE' },
  { sql: 'CREATE TABLE t (id int)', lock: null, table: null },
  { sql: 'CREATE TABLE s (u int REFERENCES users (id))', lock: 'SHARE ROW EXCLUSIVE', table: 'users' },
  { sql: 'CREATE TABLE s (id int PRIMARY KEY, parent int REFERENCES s (id))', lock: null },
  { sql: "ALTER TYPE e ADD VALUE 'x'", lock: null },
  { sql: "CREATE TYPE e AS ENUM ('a')", lock: null },
  { sql: "COMMENT ON TABLE t IS 'x'", lock: null },
  { sql: 'BEGIN', lock: null },
  { sql: "SET lock_timeout = '1s'", lock: null },
  { sql: 'SELECT 1', lock: null },
]

describe('statementEffects', () => {
  beforeAll(() => ensureParser())
  for (const row of TABLE) {
    it(`${row.sql}${row.pg ? ` (PG ${row.pg})` : ''}`, () => {
      const [parsed] = parseStatements(row.sql)
      const effects = statementEffects(parsed.stmt, row.pg ?? 15)
      expect(effects.lock).toBe(row.lock)
      if (row.table !== undefined) expect(effects.tableName).toBe(row.table)
      if (row.rewrite !== undefined) expect(effects.rewrite).toBe(row.rewrite)
      if (row.scan !== undefined) expect(effects.scan).toBe(row.scan)
    })
  }
})

const PG_LOCK_NAMES: Record<string, LockMode> = {
  AccessShareLock: 'ACCESS SHARE', RowShareLock: 'ROW SHARE', RowExclusiveLock: 'ROW EXCLUSIVE',
  ShareUpdateExclusiveLock: 'SHARE UPDATE EXCLUSIVE', ShareLock: 'SHARE', ShareRowExclusiveLock: 'SHARE ROW EXCLUSIVE',
  ExclusiveLock: 'EXCLUSIVE', AccessExclusiveLock: 'ACCESS EXCLUSIVE',
}

/** Each statement runs against `t` (rows present) in a transaction; `on` is the relation whose lock we read. */
const REAL: Array<{ sql: string; on?: string; setup?: string }> = [
  { sql: 'ALTER TABLE t ADD COLUMN bio text' },
  { sql: 'ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 0' },
  { sql: 'ALTER TABLE t ADD COLUMN at timestamptz DEFAULT now()' },
  { sql: 'ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid()' },
  { sql: 'ALTER TABLE t ADD COLUMN r float8 DEFAULT random()' },
  { sql: 'ALTER TABLE t ADD COLUMN s bigserial' },
  { sql: 'ALTER TABLE t ADD COLUMN i bigint GENERATED ALWAYS AS IDENTITY' },
  { sql: 'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED' },
  { sql: 'ALTER TABLE t ALTER COLUMN v TYPE varchar(20)' },
  { sql: 'ALTER TABLE t ALTER COLUMN v TYPE text' },
  { sql: 'ALTER TABLE t ALTER COLUMN v TYPE varchar(20) USING v || \'\'' },
  { sql: 'ALTER TABLE t ALTER COLUMN a TYPE bigint' },
  { sql: 'ALTER TABLE t ALTER COLUMN a SET NOT NULL' },
  { sql: 'ALTER TABLE t ALTER COLUMN a SET DEFAULT 1' },
  { sql: 'ALTER TABLE t ALTER COLUMN a SET STATISTICS 500' },
  { sql: 'ALTER TABLE t SET (fillfactor = 70)' },
  { sql: 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)' },
  { sql: 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID' },
  { sql: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID' },
  { sql: 'ALTER TABLE t VALIDATE CONSTRAINT t_a_check', setup: 'ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID' },
  { sql: 'ALTER TABLE t ADD CONSTRAINT k UNIQUE (a)' },
  { sql: 'ALTER TABLE t ALTER CONSTRAINT t_u_fk DEFERRABLE', setup: 'ALTER TABLE t ADD CONSTRAINT t_u_fk FOREIGN KEY (a) REFERENCES u (id)' },
  { sql: 'ALTER TABLE t SET UNLOGGED' },
  { sql: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY' },
  { sql: 'ALTER TABLE t DISABLE TRIGGER ALL' },
  { sql: 'ALTER TABLE t DROP COLUMN v' },
  { sql: 'ALTER TABLE t RENAME COLUMN v TO w' },
  { sql: 'ALTER INDEX t_a_idx RENAME TO t_a_idx2', on: 't_a_idx' },
  { sql: 'CREATE INDEX t_v_idx ON t (v)' },
  { sql: 'CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION noop()' },
  { sql: 'CREATE POLICY p ON t USING (true)' },
  { sql: 'CLUSTER t USING t_a_idx' },
  { sql: 'TRUNCATE t' },
  { sql: 'REINDEX TABLE t' },
  { sql: 'REINDEX INDEX t_a_idx', on: 't_a_idx' },
  { sql: 'REFRESH MATERIALIZED VIEW mv', on: 'mv' },
  { sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv', on: 'mv' },
  { sql: 'ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (10) TO (20)', on: 'm', setup: 'CREATE TABLE m2 (k int)' },
  { sql: 'ALTER TABLE m DETACH PARTITION m1', on: 'm' },
  { sql: 'UPDATE t SET a = a + 1' },
  { sql: 'LOCK TABLE t IN SHARE MODE' },
  { sql: 'CREATE TABLE s (uid int REFERENCES u (id))', on: 'u' },
  { sql: 'DROP INDEX t_a_idx' },
  { sql: 'DROP TRIGGER trg ON t', setup: 'CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION noop()' },
]

const SCHEMA = `
  DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
  CREATE TABLE u (id int PRIMARY KEY); INSERT INTO u SELECT g FROM generate_series(1, 100) g;
  CREATE TABLE t (a int, v varchar(10)); INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g;
  CREATE INDEX t_a_idx ON t (a);
  CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE TABLE w (a int); INSERT INTO w SELECT g FROM generate_series(1, 100) g; CREATE MATERIALIZED VIEW mv AS SELECT a FROM w; CREATE UNIQUE INDEX mv_a ON mv (a);
  CREATE TABLE m (k int) PARTITION BY RANGE (k); CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);`

describe('effects agree with a real Postgres 15 (pg_locks, relfilenode)', () => {
  it('lock mode and rewrite of each statement', { timeout: 120_000 }, async () => {
    await ensureParser()
    const { startTestPostgres, connect } = await import('../helpers/pg.js')
    await using server = await startTestPostgres()
    await using client = await connect(server.url)
    const mismatches: string[] = []
    for (const row of REAL) {
      await client.query(SCHEMA)
      if (row.setup) await client.query(row.setup)
      const rel = row.on ?? 't'
      const before = (await client.query('SELECT pg_relation_filenode($1::regclass) AS f', [rel])).rows[0].f
      const oid = (await client.query('SELECT $1::regclass::oid AS o', [rel])).rows[0].o
      await client.query('BEGIN')
      try {
        await client.query(row.sql)
      } catch (error) {
        await client.query('ROLLBACK')
        mismatches.push(`${row.sql}: ${(error as Error).message}`)
        continue
      }
      const modes = (await client.query('SELECT mode FROM pg_locks WHERE relation = $1 AND pid = pg_backend_pid() AND granted', [oid])).rows
        .map((r) => PG_LOCK_NAMES[r.mode])
      const after = (await client.query('SELECT pg_relation_filenode($1::oid::regclass) AS f', [oid])).rows[0]?.f
      await client.query('ROLLBACK')
      const observed = modes.reduce<LockMode | null>((a, b) => (a === null || LOCK_ORDER.indexOf(b) > LOCK_ORDER.indexOf(a) ? b : a), null)
      const effects = statementEffects(parseStatements(row.sql)[0].stmt, 15)
      const rewritten = String(after) !== String(before)
      if (effects.lock !== observed) mismatches.push(`${row.sql}: lock ${effects.lock} but Postgres took ${observed}`)
      if (effects.rewrite !== rewritten && row.sql.includes('ALTER TABLE')) mismatches.push(`${row.sql}: rewrite ${effects.rewrite} but relfilenode ${rewritten ? 'changed' : 'kept'}`)
    }
    expect(mismatches).toEqual([])
  })
})

/** (from, to, session TimeZone) — judged by typeChangeRewrites with the old type known, checked by relfilenode. */
const TYPE_CHANGES: Array<[string, string, string?]> = [
  ['varchar(10)', 'varchar(20)'], ['varchar(10)', 'varchar(5)'], ['varchar(10)', 'text'], ['varchar(10)', 'varchar'],
  ['text', 'varchar'], ['text', 'varchar(10)'], ['numeric(10,2)', 'numeric(12,2)'], ['numeric(10,2)', 'numeric(12,4)'],
  ['numeric(10,2)', 'numeric'], ['numeric(10,2)', 'numeric(8,2)'], ['cidr', 'inet'], ['inet', 'cidr'], ['varbit(8)', 'varbit(16)'],
  ['int', 'bigint'], ['bigint', 'int'], ['char(3)', 'char(5)'], ['timestamp(3)', 'timestamp(6)'], ['timestamp', 'timestamptz', 'UTC'],
  ['timestamp', 'timestamptz', 'Europe/Paris'], ['timestamptz', 'timestamp', 'UTC'], ['int', 'text'], ['text', 'citext'], ['varchar(10)', 'citext'], ['citext', 'text'], ['citext', 'varchar(10)'], ['bpchar', 'citext'],
]

describe('type changes agree with a real Postgres 15 (relfilenode)', () => {
  it('binary-coercible changes keep the file, others rewrite', { timeout: 120_000 }, async () => {
    await ensureParser()
    const { typeChangeRewrites } = await import('../../src/linter/type-coercion.js')
    const { startTestPostgres, connect } = await import('../helpers/pg.js')
    await using server = await startTestPostgres()
    await using client = await connect(server.url)
    await client.query('CREATE EXTENSION IF NOT EXISTS citext')
    const mismatches: string[] = []
    for (const [from, to, zone] of TYPE_CHANGES) {
      await client.query(`DROP TABLE IF EXISTS c; CREATE TABLE c (x ${from}); SET TimeZone = '${zone ?? 'UTC'}'`)
      const before = (await client.query("SELECT pg_relation_filenode('c') AS f")).rows[0].f
      await client.query(`ALTER TABLE c ALTER COLUMN x TYPE ${to}`)
      const after = (await client.query("SELECT pg_relation_filenode('c') AS f")).rows[0].f
      const [fromType, toType] = [from, to].map((t) => (parseStatements(`CREATE TABLE z (x ${t})`)[0].stmt.CreateStmt.tableElts[0].ColumnDef.typeName))
      const verdict = typeChangeRewrites(fromType, toType, false, 15).rewrite
      const rewrote = String(after) !== String(before)
      // 'maybe' (timestamp <-> timestamptz) must match what the session TimeZone decides: no rewrite only in UTC.
      const expected = verdict === 'maybe' ? zone !== 'UTC' : verdict === 'yes'
      if (expected !== rewrote) mismatches.push(`${from} -> ${to} (${zone ?? 'UTC'}): we say ${verdict}, Postgres ${rewrote ? 'rewrote' : 'kept the file'}`)
    }
    expect(mismatches).toEqual([])
  })
})
