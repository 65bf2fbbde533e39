import { InputError } from '../errors.js'
import { checksumMatches } from './checksum.js'
import type { AppliedRow, MigrationProject, PlannedMigrations } from './types.js'

/**
 * Splits a project's migrations into those the database already has and those still pending, as
 * `prisma migrate deploy` does: a rolled-back row does not count as applied. Throws (input errors)
 * where Prisma would refuse to continue: an unfinished, failed migration in the database (P3009),
 * or an applied migration whose file has changed since (what `migrate dev` reports as modified).
 * @example
 * const { applied, pending } = planMigrations(project, await readAppliedMigrations(client, project))
 */
export function planMigrations(project: MigrationProject, applied: AppliedRow[]): PlannedMigrations {
  const failed = applied.filter((r) => r.finishedAt === null && r.rolledBackAt === null)
  if (failed.length > 0) {
    const first = failed[0]
    throw new InputError('KDB_MIGRATION_FAILED_IN_DB',
      `migration ${first.name} failed in the target database and was never resolved${first.logs ? `: ${first.logs.split('\n').find((l) => /error/i.test(l)) ?? ''}` : ''}`, {
        hint: `Resolve it as you would for Prisma (P3009): \`prisma migrate resolve --rolled-back ${first.name}\` after undoing its effects, or \`--applied\` if you finished it by hand.`,
      })
  }
  const live = new Map(applied.filter((r) => r.rolledBackAt === null).map((r) => [r.name, r]))
  const out: PlannedMigrations = { applied: [], pending: [] }
  for (const migration of project.migrations) {
    const row = live.get(migration.name)
    if (!row) {
      out.pending.push(migration)
      continue
    }
    if (!checksumMatches(migration.upSql, row.checksum))
      throw new InputError('KDB_MIGRATION_EDITED',
        `${migration.upPath} was changed after it was applied: the database recorded checksum ${row.checksum}, the file now hashes to ${migration.checksum}`, {
          file: migration.upPath,
          hint: 'Never edit an applied migration: restore the file from version control (git checkout the version that was deployed) and put the change in a new migration.',
        })
    out.applied.push(migration)
  }
  return out
}
