import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** Down migrations sit beside up migrations in plain SQL projects; they are not linted as forward steps. */
export function isDownMigration(file: string): boolean {
  return /(^|[/\\])down\.sql$|\.down\.sql$/i.test(file)
}

/** A migration file: a Prisma migration.sql or any *.sql that is not a down migration. */
export function isMigrationPath(path: string): boolean {
  return path.endsWith('.sql') && !isDownMigration(path)
}

/**
 * The migration files under a path: the path itself when it is a file; for a folder, every
 * `migration.sql` of a Prisma layout and every other `*.sql`, in lexical order (the order they run).
 */
export function migrationFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  const out: string[] = []
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) visit(full)
      else if (isMigrationPath(full)) out.push(full)
    }
  }
  visit(path)
  return out
}

/** The name a migration sorts by: its folder for Prisma (`20240101_init/migration.sql`), else its file name. */
export function migrationSortKey(path: string): string {
  return basename(path) === 'migration.sql' ? basename(dirname(path)) : basename(path)
}

/** A migration at or before `startAfter` (LintOptions.startAfter), compared on as many characters of its name. */
export function notAfter(path: string, startAfter: string): boolean {
  return migrationSortKey(path).slice(0, startAfter.length) <= startAfter
}

/** The folder that holds a migration and its siblings: `migrations/` for both layouts. */
export function migrationsFolderOf(path: string): string {
  return basename(path) === 'migration.sql' ? dirname(dirname(path)) : dirname(path)
}

/** The migrations of a folder in run order (Prisma `<name>/migration.sql`, or `*.sql` without down files). */
export function siblingMigrations(folder: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const file = join(folder, entry.name, 'migration.sql')
      if (existsSync(file)) out.push(file)
    } else if (isMigrationPath(entry.name)) out.push(join(folder, entry.name))
  }
  return out.sort((a, b) => (migrationSortKey(a) < migrationSortKey(b) ? -1 : 1))
}
