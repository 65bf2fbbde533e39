import type { ConfigKey } from './config-key.js'
import { pgVersionKey, prismaVersionKey, rulesKey } from './linter-keys.js'
import {
  drillKey, imageKey, jobsKey, loadKey, maxRewriteRowsKey, migrationsDirKey, overridesKey, providerKey, rowsKey, sanitizeKey, seedKey, slowMsKey, snapshotKey, urlKey,
} from './project-keys.js'

/** Every key koinonia.config.* may contain. Add a key: define it in your area's *-keys.ts, add one line here and one to KoinoniaConfig. */
export const CONFIG_KEYS = {
  pgVersion: pgVersionKey,
  prismaVersion: prismaVersionKey,
  rules: rulesKey,
  overrides: overridesKey,
  provider: providerKey,
  image: imageKey,
  url: urlKey,
  migrationsDir: migrationsDirKey,
  snapshot: snapshotKey,
  rows: rowsKey,
  seed: seedKey,
  load: loadKey,
  maxRewriteRows: maxRewriteRowsKey,
  slowMs: slowMsKey,
  jobs: jobsKey,
  sanitize: sanitizeKey,
  drill: drillKey,
} satisfies Record<string, ConfigKey>

type ValueOf<K> = K extends ConfigKey<infer T> ? T : never

/** The validated contents of a config file; every key is optional. */
export type KoinoniaConfig = { -readonly [K in keyof typeof CONFIG_KEYS]?: ValueOf<(typeof CONFIG_KEYS)[K]> }
