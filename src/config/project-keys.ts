import type { ProviderName } from '../postgres/provider.js'
import { booleanKey, integerKey, oneOfKey, POSTGRES_URL, stringKey } from './value-keys.js'

export const PROVIDERS: ProviderName[] = ['embedded', 'system', 'testcontainers', 'url']

export const providerKey = oneOfKey(PROVIDERS)
export const imageKey = stringKey('a Docker image name, e.g. "postgres:15"')
export const urlKey = stringKey('a postgres:// URL of a server where scratch databases may be created', POSTGRES_URL)
export const migrationsDirKey = stringKey('the folder of migrations, relative to the config file, e.g. "prisma/migrations"')
export const snapshotKey = stringKey('a pg_dump file or folder, or a postgres:// URL dumped read-only')
export const rowsKey = integerKey('rows per table of a synthetic snapshot, e.g. 1000')
export const seedKey = integerKey('the seed of the synthetic snapshot, e.g. 1')
export const loadKey = booleanKey('true or false: run a canary reader and writer during the replay')
export const maxRewriteRowsKey = integerKey('rows above which an undeclared rewrite fails the gate, e.g. 10000')
export const slowMsKey = integerKey('milliseconds a write-blocking lock may be held on a non-empty table, e.g. 1000')
export const jobsKey = integerKey('parallel pg_restore jobs, a whole number ≥ 1, e.g. 2', 1)
