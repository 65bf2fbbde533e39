import type { ConfigKey } from './config-key.js'
import { camelCase, type CamelCase, type FlagTable, type FlagValue } from './flag-spec.js'
import {
  DRILL_FLAGS, INIT_FLAGS, LINT_FLAGS, REFRESH_STAGING_FLAGS, RULES_FLAGS, SANITIZE_FLAGS, SWEEP_FLAGS, VERIFY_FLAGS,
} from './flags/index.js'
import { overridesKey, rulesKey } from './linter-keys.js'
import { sectionKey } from './section-key.js'

type TopOf<F> = { [K in keyof F as F[K] extends { scope: 'top' } ? CamelCase<K & string> : never]: ConfigKey<FlagValue<F[K]>> }
type TopOfTable<T> = T extends FlagTable<infer F> ? TopOf<F> : never
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never

/** The keys the flags of scope `top` give: each flag's camel-case name, checked by the flag's own validator. */
function topLevelKeys<const T extends readonly FlagTable[]>(...tables: T): Intersection<TopOfTable<T[number]>> {
  const keys: Record<string, ConfigKey> = {}
  for (const table of tables) {
    for (const [flag, spec] of Object.entries(table.flags)) {
      if (spec.scope !== 'top' || spec.noConfig) continue
      const name = camelCase(flag)
      if (keys[name] && keys[name] !== spec.key) throw new Error(`config key ${name} is declared twice with different validators`)
      keys[name] = spec.key
    }
  }
  return keys as Intersection<TopOfTable<T[number]>>
}

/**
 * Every key koinonia.config.* may contain. Top-level keys are shared by commands: those of the flags
 * of scope `top`, plus the two that no flag sets (rule severities belong to the project, not to a
 * run). Each command's own keys are its section, made from its flag table (src/config/flags/): add a
 * flag there and its key exists. Error hints list the keys in this order, the linter's first.
 */
export const CONFIG_KEYS = {
  ...topLevelKeys(LINT_FLAGS, VERIFY_FLAGS, INIT_FLAGS, RULES_FLAGS, SANITIZE_FLAGS, REFRESH_STAGING_FLAGS, DRILL_FLAGS, SWEEP_FLAGS),
  rules: rulesKey,
  overrides: overridesKey,
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
