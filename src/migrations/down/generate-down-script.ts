import type { Migration, MigrationProject } from '../types.js'

export interface GenerateDownOptions {
  /** Keep the two scratch databases (for debugging). Default false. */
  keepDatabases?: boolean
}

/**
 * A down script for a migration (Prisma has none): replays history up to the migration's
 * predecessor and up to the migration itself into two scratch databases on `serverUrl`, introspects
 * both and emits the DDL that takes the second schema back to the first.
 */
export async function generateDownScript(serverUrl: string, project: MigrationProject, migration: Migration, options: GenerateDownOptions = {}): Promise<string> {
  void serverUrl; void project; void migration; void options
  throw new Error('not implemented yet')
}
