import { beforeAll, describe, expect, it } from 'vitest'
import { checksumMatches, migrationChecksum } from '../../src/migrations/checksum.js'
import { planMigrations } from '../../src/migrations/plan-migrations.js'
import { loadSqlParser, splitStatements } from '../../src/migrations/split-statements.js'
import type { AppliedRow, Migration, MigrationProject } from '../../src/migrations/types.js'

beforeAll(() => loadSqlParser())

describe('splitStatements', () => {
  it('splits with the Postgres parser: semicolons in strings, dollar quotes and comments do not split', () => {
    const sql = `-- a comment; with a semicolon\nCREATE TABLE "a" ("x" TEXT DEFAULT ';');\n\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n/* ; */ ALTER TABLE "a" ADD COLUMN "ü" INT;`
    const parts = splitStatements(sql)
    expect(parts.map((p) => p.line)).toEqual([2, 4, 5])
    expect(parts[0].text).toBe(`CREATE TABLE "a" ("x" TEXT DEFAULT ';')`)
    expect(parts[1].text).toMatch(/\$\$ SELECT 1; \$\$/)
    expect(parts.map((p) => p.index)).toEqual([0, 1, 2])
  })

  it('names the file and line of SQL that does not parse', () => {
    try {
      splitStatements('SELECT 1;\nCREAT TABLE x ();', 'prisma/migrations/1_a/migration.sql')
      expect.unreachable()
    } catch (error: any) {
      expect(error.code).toBe('KDB_MIGRATION_PARSE')
      expect(error.file).toBe('prisma/migrations/1_a/migration.sql')
      expect(error.line).toBe(2)
    }
  })
})

describe('checksums', () => {
  it('is the sha256 hex of the bytes, zero-padded (Prisma engine test vector)', () => {
    expect(migrationChecksum('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824')
  })
  it('matches across line endings and old unpadded rows, as Prisma does, but not after an edit', () => {
    const lf = 'CREATE TABLE a ();\nCREATE TABLE b ();\n'
    expect(checksumMatches(lf.replace(/\n/g, '\r\n'), migrationChecksum(lf))).toBe(true)
    expect(checksumMatches(lf, migrationChecksum(lf.replace(/\n/g, '\r\n')))).toBe(true)
    const unpadded = [...Buffer.from(migrationChecksum(lf), 'hex')].map((b) => b.toString(16)).join('')
    expect(unpadded.length).toBeLessThan(64)
    expect(checksumMatches(lf, unpadded)).toBe(true)
    expect(checksumMatches(lf + '-- edit\n', migrationChecksum(lf))).toBe(false)
  })
})

describe('planMigrations', () => {
  const m = (name: string, sql = `SELECT '${name}';\n`): Migration =>
    ({ name, kind: 'prisma', upPath: `/p/${name}/migration.sql`, upSql: sql, downPath: null, downSql: null, checksum: migrationChecksum(sql) })
  const project = (migrations: Migration[]): MigrationProject =>
    ({ kind: 'prisma', root: '/p', migrationsDir: '/p', schemaPath: null, prismaVersion: '6.0.0', mode: 'single-query', migrations })
  const row = (mig: Migration, extra: Partial<AppliedRow> = {}): AppliedRow => ({
    id: 'x', name: mig.name, checksum: mig.checksum, startedAt: new Date(), finishedAt: new Date(), rolledBackAt: null,
    logs: null, appliedStepsCount: 1, ...extra,
  })
  const [a, b, c] = [m('1_a'), m('2_b'), m('3_c')]

  it('pending = not in the table; a rolled-back row does not count', () => {
    const plan = planMigrations(project([a, b, c]), [row(a), row(b, { rolledBackAt: new Date() })])
    expect(plan.applied.map((x) => x.name)).toEqual(['1_a'])
    expect(plan.pending.map((x) => x.name)).toEqual(['2_b', '3_c'])
  })

  it('an applied migration whose file changed is KDB_MIGRATION_EDITED, naming the file', () => {
    const edited = m('1_a', "SELECT 'changed';\n")
    const error = (() => { try { planMigrations(project([edited, b]), [row(a)]) } catch (e) { return e as any } })()
    expect(error.code).toBe('KDB_MIGRATION_EDITED')
    expect(error.kind).toBe('input')
    expect(error.file).toBe('/p/1_a/migration.sql')
    expect(error.hint).toMatch(/new migration/)
  })

  it('an unresolved failed row stops the plan, as P3009 stops prisma migrate deploy', () => {
    expect(() => planMigrations(project([a, b]), [row(a, { finishedAt: null, logs: 'Database error code: 42P01' })]))
      .toThrow(expect.objectContaining({ code: 'KDB_MIGRATION_FAILED_IN_DB' }))
  })
})
