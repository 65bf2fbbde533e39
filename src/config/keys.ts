import type { ConfigKey } from './config-key.js'
import { DRILL_FLAGS, INIT_FLAGS, LINT_FLAGS, REFRESH_STAGING_FLAGS, SANITIZE_FLAGS, SWEEP_FLAGS, VERIFY_FLAGS } from './flags/index.js'
import { overridesKey, pgVersionKey, prismaVersionKey, rulesKey } from './linter-keys.js'
import {
  imageKey, jobsKey, loadKey, maxRewriteRowsKey, migrationsDirKey, providerKey, rowsKey, seedKey, slowMsKey, snapshotKey, urlKey,
} from './project-keys.js'
import { sectionKey } from './section-key.js'

/**
 * Every key koinonia.config.* may contain. Top-level keys are shared by commands; each command's own
 * keys are its section, made from its flag table (src/config/flags/): add a flag there and its key
 * exists. A top-level key is listed here and used by the flags of scope `top` (a test checks both).
 */
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
  lint: sectionKey('lint', LINT_FLAGS.flags),
  verify: sectionKey('verify', VERIFY_FLAGS.flags),
  sanitize: sectionKey('sanitize', { ...SANITIZE_FLAGS.flags, ...REFRESH_STAGING_FLAGS.flags }),
  drill: sectionKey('drill', DRILL_FLAGS.flags),
  init: sectionKey('init', INIT_FLAGS.flags),
  sweep: sectionKey('sweep', SWEEP_FLAGS.flags),
} satisfies Record<string, ConfigKey>

type ValueOf<K> = K extends ConfigKey<infer T> ? T : never

/** Old names still read: `drill.rtoSeconds` / `drill.rpoSeconds` are `drill.rtoTarget` / `drill.rpoTarget`. */
interface DeprecatedKeys {
  drill?: {
    /** @deprecated Use rtoTarget. */
    rtoSeconds?: number
    /** @deprecated Use rpoTarget. */
    rpoSeconds?: number
  }
}

/** The validated contents of a config file; every key is optional. */
export type KoinoniaConfig = { -readonly [K in keyof typeof CONFIG_KEYS]?: ValueOf<(typeof CONFIG_KEYS)[K]> } & DeprecatedKeys
