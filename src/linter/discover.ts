import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Down migrations sit beside up migrations in plain SQL projects; they are not linted as forward steps. */
export function isDownMigration(file: string): boolean {
  return /(^|[/\\])down\.sql$|\.down\.sql$/i.test(file)
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
      else if (entry.name.endsWith('.sql') && !isDownMigration(full)) out.push(full)
    }
  }
  visit(path)
  return out
}
