import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { InputError } from '../errors.js'
import { detectPrismaVersion, prismaModeFor } from '../linter/prisma.js'
import { migrationChecksum } from './checksum.js'
import { readPrismaConfig } from './prisma-config.js'
import { loadSqlParser } from './split-statements.js'
import type { DiscoverOptions, Migration, MigrationKind, MigrationProject } from './types.js'

const SQL_FOLDERS = ['migrations', 'db/migrations', 'sql/migrations']

/**
 * Finds a project's migrations: Prisma (prisma.config.ts, package.json `prisma.schema`, or
 * prisma/migrations) or a plain SQL folder, in the order they run.
 * @example
 * const project = await discoverMigrations({ cwd: 'fixtures/prisma-app' })
 */
export async function discoverMigrations(options: DiscoverOptions): Promise<MigrationProject> {
  const root = resolve(options.cwd)
  if (!existsSync(root)) throw new InputError('KDB_NO_PROJECT', `${root} does not exist`, { hint: 'Run inside your project or pass its folder.' })
  await loadSqlParser()
  const located = locate(root, options.migrationsDir)
  const prismaVersion = located.kind === 'prisma' ? options.prismaVersion ?? detectPrismaVersion(join(root, 'package.json')) : null
  const migrations = located.kind === 'prisma' ? prismaMigrations(located.migrationsDir) : sqlMigrations(located.migrationsDir)
  return {
    kind: located.kind,
    root,
    migrationsDir: located.migrationsDir,
    schemaPath: located.schemaPath,
    prismaVersion,
    mode: located.kind === 'prisma' ? prismaModeFor(prismaVersion) : 'single-query',
    migrations,
  }
}

interface Located { kind: MigrationKind; migrationsDir: string; schemaPath: string | null }

function locate(root: string, explicit: string | undefined): Located {
  if (explicit) {
    const dir = resolve(root, explicit)
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new InputError('KDB_NO_MIGRATIONS', `migrations folder ${dir} does not exist`, { hint: 'Check the --migrations-dir path.' })
    return { kind: looksLikePrisma(dir) ? 'prisma' : 'sql', migrationsDir: dir, schemaPath: existingFile(join(dirname(dir), 'schema.prisma')) }
  }
  const config = readPrismaConfig(root)
  if (config && (config.migrations || config.schema)) {
    const schemaDir = config.schema ? (isDir(config.schema) ? config.schema : dirname(config.schema)) : join(root, 'prisma')
    return { kind: 'prisma', migrationsDir: config.migrations ?? join(schemaDir, 'migrations'), schemaPath: config.schema }
  }
  const pkgSchema = packageJsonSchema(root)
  if (pkgSchema) {
    const schemaPath = resolve(root, pkgSchema)
    return { kind: 'prisma', migrationsDir: join(isDir(schemaPath) ? schemaPath : dirname(schemaPath), 'migrations'), schemaPath }
  }
  if (isDir(join(root, 'prisma', 'migrations')))
    return { kind: 'prisma', migrationsDir: join(root, 'prisma', 'migrations'), schemaPath: existingFile(join(root, 'prisma', 'schema.prisma')) }
  if (looksLikePrisma(root)) return { kind: 'prisma', migrationsDir: root, schemaPath: null }
  for (const folder of SQL_FOLDERS) {
    const dir = join(root, folder)
    if (isDir(dir)) return { kind: looksLikePrisma(dir) ? 'prisma' : 'sql', migrationsDir: dir, schemaPath: null }
  }
  throw new InputError('KDB_NO_MIGRATIONS', `no migrations found in ${root}`, {
    hint: `Run inside a Prisma project (prisma/migrations or prisma.config.ts) or pass --migrations-dir; plain SQL folders looked for: ${SQL_FOLDERS.join(', ')}.`,
  })
}

function prismaMigrations(dir: string): Migration[] {
  if (!isDir(dir)) throw new InputError('KDB_NO_MIGRATIONS', `Prisma migrations folder ${dir} does not exist`, { hint: 'Create a migration with `prisma migrate dev`, or pass --migrations-dir.' })
  checkLockFile(dir)
  return sortedEntries(dir)
    .filter((name) => isDir(join(dir, name)))
    .map((name) => {
      const upPath = join(dir, name, 'migration.sql')
      if (!existsSync(upPath))
        throw new InputError('KDB_MIGRATION_FILE_MISSING', `${join(dir, name)} has no migration.sql`, {
          file: join(dir, name), hint: 'Prisma refuses such a folder too (P3015): add the migration.sql or remove the folder.',
        })
      // Prisma has no down migrations; a down.sql the user keeps beside migration.sql is honoured.
      return readMigration(name, 'prisma', upPath, existingFile(join(dir, name, 'down.sql')))
    })
}

function sqlMigrations(dir: string): Migration[] {
  const out: Migration[] = []
  for (const name of sortedEntries(dir)) {
    const full = join(dir, name)
    if (isDir(full)) {
      const up = ['up.sql', 'migration.sql'].map((f) => join(full, f)).find(existsSync)
      if (up) out.push(readMigration(name, 'sql', up, existingFile(join(full, 'down.sql'))))
    } else if (/\.sql$/i.test(name) && !/\.down\.sql$/i.test(name)) {
      const stem = name.replace(/(\.up)?\.sql$/i, '')
      out.push(readMigration(stem, 'sql', full, existingFile(join(dir, `${stem}.down.sql`))))
    }
  }
  if (out.length === 0) throw new InputError('KDB_NO_MIGRATIONS', `no .sql migrations in ${dir}`, { hint: 'Put migrations there as NNN_name.sql (with optional NNN_name.down.sql) or NNN_name/up.sql.' })
  return out
}

function readMigration(name: string, kind: MigrationKind, upPath: string, downPath: string | null): Migration {
  const bytes = readFileSync(upPath)
  return {
    name,
    kind,
    upPath,
    upSql: bytes.toString('utf8'),
    downPath,
    downSql: downPath ? readFileSync(downPath, 'utf8') : null,
    checksum: migrationChecksum(bytes),
  }
}

/** Prisma refuses a history written for another database (P3019); so do we, with its lock file. */
function checkLockFile(dir: string): void {
  const lock = join(dir, 'migration_lock.toml')
  if (!existsSync(lock)) return
  const provider = /provider\s*=\s*"([^"]+)"/.exec(readFileSync(lock, 'utf8'))?.[1]
  if (provider && provider !== 'postgresql' && provider !== 'postgres')
    throw new InputError('KDB_MIGRATION_PROVIDER', `${lock} says provider "${provider}", not postgresql`, {
      file: lock, hint: 'koinonia-db replays PostgreSQL migrations only.',
    })
}

function looksLikePrisma(dir: string): boolean {
  if (existsSync(join(dir, 'migration_lock.toml'))) return true
  return sortedEntries(dir).some((n) => existsSync(join(dir, n, 'migration.sql')) && !existsSync(join(dir, n, 'up.sql')))
}

function packageJsonSchema(root: string): string | null {
  const manifest = join(root, 'package.json')
  if (!existsSync(manifest)) return null
  try {
    const schema = JSON.parse(readFileSync(manifest, 'utf8'))?.prisma?.schema
    return typeof schema === 'string' ? schema : null
  } catch (error) {
    throw new InputError('KDB_BAD_PACKAGE_JSON', `${manifest} is not valid JSON`, { file: manifest, cause: error, hint: 'Fix package.json.' })
  }
}

/** Lexical by code unit, as Prisma and most runners order migration names. */
function sortedEntries(dir: string): string[] {
  return readdirSync(dir).filter((n) => !n.startsWith('.')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

function existingFile(path: string): string | null {
  return existsSync(path) && !isDir(path) ? path : null
}

