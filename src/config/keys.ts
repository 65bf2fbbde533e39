import type { ConfigKey } from './config-key.js'
import { pgVersionKey, prismaVersionKey, rulesKey } from './linter-keys.js'

/** Every key koinonia.config.* may contain. Add a key: define it in your area's *-keys.ts, add one line here and one to KoinoniaConfig. */
export const CONFIG_KEYS = {
  pgVersion: pgVersionKey,
  prismaVersion: prismaVersionKey,
  rules: rulesKey,
} satisfies Record<string, ConfigKey>

type ValueOf<K> = K extends ConfigKey<infer T> ? T : never

/** The validated contents of a config file; every key is optional. */
export type KoinoniaConfig = { -readonly [K in keyof typeof CONFIG_KEYS]?: ValueOf<(typeof CONFIG_KEYS)[K]> }
