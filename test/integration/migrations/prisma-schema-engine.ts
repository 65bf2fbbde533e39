import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils'
import { createRequire } from 'node:module'
import pg from 'pg'
import type { MigrationProject } from '../../../src/migrations/types.js'

/**
 * Prisma's own schema engine (the WASM build shipped with prisma 7.10, the code behind `prisma migrate
 * deploy` / `migrate status`), driven through a minimal `pg` driver adapter. Tests use it as the
 * referee: what Prisma itself thinks of a database our runner migrated. The native engine binary
 * cannot be downloaded here, and @prisma/adapter-pg is not installed, hence this small adapter.
 */
export async function prismaSchemaEngine(url: string, project: MigrationProject) {
  const clients: pg.Client[] = []
  const connect = async () => {
    const client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } as never })
    await client.connect()
    clients.push(client)
    return adapterOver(client)
  }
  const factory = { provider: 'postgres' as const, adapterName: 'koinonia-test-pg', connect, connectToShadowDb: connect }
  const schema = readFileSync(project.schemaPath!, 'utf8').replace(/^\s*url\s*=.*$/m, '')
  const SchemaEngine = await loadEngine()
  const engine = await SchemaEngine.new({ datamodels: [[project.schemaPath!, schema]] }, () => undefined,
    bindMigrationAwareSqlAdapterFactory(factory as never))
  const migrationsList = {
    baseDir: project.migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: readFileSync(join(project.migrationsDir, 'migration_lock.toml'), 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: project.migrations.map((m) => ({
      path: relative(project.migrationsDir, join(m.upPath, '..')),
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: readFileSync(m.upPath, 'utf8') } },
    })),
  }
  const filters = { externalTables: [], externalEnums: [] }
  return {
    applyMigrations: () => engine.applyMigrations({ migrationsList, filters } as never),
    diagnose: () => engine.diagnoseMigrationHistory({ migrationsList, filters, optInToShadowDatabase: false } as never),
    async close() {
      engine.free()
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)))
    },
  }
}

let engineClass: Promise<any> | undefined
// The WebAssembly global as this file uses it (the project's TypeScript libraries leave it out).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> }
}

/** Instantiates the engine's WASM the way @prisma/internals does (its own copy of the .wasm is not in this install). */
function loadEngine(): Promise<any> {
  engineClass ??= (async () => {
    const require = createRequire(import.meta.url)
    const dir = join(require.resolve('@prisma/schema-engine-wasm'), '..')
    const runtime: any = await import(join(dir, 'schema_engine_bg.js'))
    const module = new WebAssembly.Module(readFileSync(join(dir, 'schema_engine_bg.wasm')))
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': runtime })
    runtime.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as () => void)()
    return runtime.SchemaEngine
  })()
  return engineClass
}

const TYPES: Record<number, number> = {
  16: ColumnTypeEnum.Boolean, 20: ColumnTypeEnum.Int64, 21: ColumnTypeEnum.Int32, 23: ColumnTypeEnum.Int32, 26: ColumnTypeEnum.Int64,
  700: ColumnTypeEnum.Float, 701: ColumnTypeEnum.Double, 1700: ColumnTypeEnum.Numeric, 1082: ColumnTypeEnum.Date,
  1083: ColumnTypeEnum.Time, 1114: ColumnTypeEnum.DateTime, 1184: ColumnTypeEnum.DateTime, 114: ColumnTypeEnum.Json,
  3802: ColumnTypeEnum.Json, 17: ColumnTypeEnum.Bytes, 2950: ColumnTypeEnum.Uuid,
  1000: ColumnTypeEnum.BooleanArray, 1005: ColumnTypeEnum.Int32Array, 1007: ColumnTypeEnum.Int32Array, 1016: ColumnTypeEnum.Int64Array,
  1009: ColumnTypeEnum.TextArray, 1015: ColumnTypeEnum.TextArray, 1003: ColumnTypeEnum.TextArray, 1028: ColumnTypeEnum.Int64Array,
}
const ARRAYS = new Set([1000, 1005, 1007, 1016, 1009, 1015, 1003, 1028])

function convert(value: string | null, oid: number): unknown {
  if (value === null) return null
  if (ARRAYS.has(oid)) return pg.types.getTypeParser(oid as never, 'text')(value)
  switch (TYPES[oid]) {
    case ColumnTypeEnum.Boolean: return value === 't'
    case ColumnTypeEnum.Int32: return Number(value)
    case ColumnTypeEnum.Float: case ColumnTypeEnum.Double: return Number(value)
    case ColumnTypeEnum.Bytes: return Uint8Array.from(pg.types.getTypeParser(17 as never, 'text')(value) as Buffer)
    case ColumnTypeEnum.DateTime: return oid === 1184 ? value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00') : value
    default: return value
  }
}

function adapterOver(client: pg.Client) {
  const queryRaw = async ({ sql, args }: { sql: string; args: unknown[] }) => {
    const result = await client.query({ text: sql, values: args as unknown[], rowMode: 'array' })
    const fields = result.fields ?? []
    return {
      columnNames: fields.map((f) => f.name),
      columnTypes: fields.map((f) => TYPES[f.dataTypeID] ?? ColumnTypeEnum.Text),
      rows: (result.rows as Array<Array<string | null>>).map((row) => row.map((v, i) => convert(v, fields[i].dataTypeID))),
    }
  }
  const executeRaw = async ({ sql, args }: { sql: string; args: unknown[] }) => (await client.query(sql, args as unknown[])).rowCount ?? 0
  const base = { provider: 'postgres' as const, adapterName: 'koinonia-test-pg', queryRaw, executeRaw }
  return {
    ...base,
    executeScript: async (script: string) => { await client.query(script) },
    startTransaction: async () => {
      await client.query('BEGIN')
      return {
        ...base, options: { usePhantomQuery: false },
        commit: async () => { await client.query('COMMIT') },
        rollback: async () => { await client.query('ROLLBACK') },
      }
    },
    dispose: async () => { await client.end() },
  }
}
