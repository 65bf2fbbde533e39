import type { ProviderName } from '../../../src/postgres/index.js'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A plain-SQL project in a temp folder: `migrations/NNN_name.sql` with optional `.down.sql`. Removed on dispose. */
export function sqlProject(migrations: Array<{ name: string; up: string; down?: string }>): { root: string } & Disposable {
  const root = mkdtempSync(join(tmpdir(), 'kdb-verify-project-'))
  mkdirSync(join(root, 'migrations'))
  for (const m of migrations) {
    writeFileSync(join(root, 'migrations', `${m.name}.sql`), m.up)
    if (m.down !== undefined) writeFileSync(join(root, 'migrations', `${m.name}.down.sql`), m.down)
  }
  return { root, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) }
}

export const INIT = {
  name: '001_init',
  up: `CREATE TABLE church (id serial PRIMARY KEY, name text NOT NULL, city text);
CREATE TABLE contact (id bigserial PRIMARY KEY, church_id integer NOT NULL REFERENCES church(id), phone varchar(20) NOT NULL, nickname text, score integer NOT NULL);
CREATE INDEX contact_church_idx ON contact (church_id);
`,
  down: 'DROP TABLE contact; DROP TABLE church;',
}

/** The provider tests run on: the default (embedded) unless KDB_TEST_PROVIDER names another. */
export const TEST_PROVIDER = process.env.KDB_TEST_PROVIDER as ProviderName | undefined
