import { beforeAll, describe, expect, it } from 'vitest'
import { statementEffects } from '../../src/linter/effects.js'
import { ensureParser, parseStatements } from '../../src/linter/parse.js'
import type { LockMode } from '../../src/linter/types.js'

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
  { sql: 'ALTER TABLE t ALTER CONSTRAINT fk DEFERRABLE', lock: 'SHARE ROW EXCLUSIVE' },
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
  { sql: 'REINDEX TABLE t', lock: 'ACCESS EXCLUSIVE', rewrite: true },
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
