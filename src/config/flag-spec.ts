import type { ConfigKey } from './config-key.js'

/** The one naming rule: flag `--foo-bar` ↔ config key `fooBar` ↔ API option `fooBar`. */
export type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S

export function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/**
 * One CLI flag: how it is parsed, the config key it shares a validator with, and where that key
 * lives. The CLI reads the flag, else the config key, else the default; flags win.
 */
export interface FlagSpec<T = unknown> {
  type: 'string' | 'boolean'
  multiple?: boolean
  /** The flag's text is a number: converted before the key checks it. */
  numeric?: boolean
  /** A file or folder: relative to the working directory as a flag, to the config file's folder as a key. A postgres:// URL is left alone. */
  path?: boolean
  /** Validates and converts: the same check for the flag and for the config key. */
  key: ConfigKey<T>
  /** `top`: a key shared by commands (`pgVersion`); `section`: under the command's section (`sanitize.keyEnv`). */
  scope: 'top' | 'section'
  /** Why this flag has no config key. Rare: each is listed in docs/config.md and in the flag-table test. */
  noConfig?: string
  /** Why the API has no option of this name (the output flags: the API returns results, it never prints). */
  noApi?: string
  default?: T
  /** Older names of the config key that are still read (backwards compatibility). */
  aliases?: string[]
  /** Error code of a bad flag value; default KDB_FLAG_VALUE. */
  code?: string
  /** One line for docs/config.md. */
  description: string
}

export type AnyFlagSpec = FlagSpec<any> // eslint-disable-line @typescript-eslint/no-explicit-any
export type FlagValue<S> = S extends FlagSpec<infer T> ? T : never

/** A command's flags; `section` is its config section (refresh-staging shares `sanitize`). */
export interface FlagTable<F extends Record<string, AnyFlagSpec> = Record<string, AnyFlagSpec>> {
  command: string
  section: string
  flags: F
}

/**
 * What a flag table must satisfy against its API options type: each flag's camel-case name is an
 * option of the API with a type the config key's value fits, unless the flag says `noApi` and why.
 * A mismatch is a compile error naming the flag.
 */
export type ApiChecked<F, Api> = {
  [K in keyof F]: F[K] extends { noApi: string }
    ? F[K]
    : CamelCase<K & string> extends keyof Api
      ? FlagValue<F[K]> extends NonNullable<Api[CamelCase<K & string>]>
        ? F[K]
        : F[K] & { apiTypeMismatch: `the API option "${CamelCase<K & string>}" does not accept this flag's value` }
      : F[K] & { noApi: `the API options lack "${CamelCase<K & string>}": add it or give noApi a reason` }
}

/**
 * Declares a command's flags against its API options type `Api`.
 * @example
 * export const SWEEP_FLAGS = defineFlags<SweepOptions>()('sweep', 'sweep', { label: stringFlag(labelKey, '…') })
 */
export function defineFlags<Api>() {
  return <const F extends Record<string, AnyFlagSpec>>(command: string, section: string, flags: F & ApiChecked<F, Api>): FlagTable<F> =>
    ({ command, section, flags })
}

/** The options a command's run receives: each flag under its API name, from the flag, the config or the default. */
export type FlagValues<F> = { [K in keyof F as CamelCase<K & string>]?: FlagValue<F[K]> }

/** The keys a table puts in its config section, with their value types (for KoinoniaConfig). */
export type SectionOf<F> = {
  [K in keyof F as F[K] extends { scope: 'top' } | { noConfig: string } ? never : CamelCase<K & string>]?: FlagValue<F[K]>
}

type Extra<T> = Partial<Omit<FlagSpec<T>, 'type' | 'key' | 'description'>>

// `& E` keeps what the extras say (`noApi`, `scope: 'top'`) in the type, for the checks above.
export function stringFlag<T = string, const E extends Extra<T> = {}>(key: ConfigKey<T>, description: string, extra: E = {} as E): FlagSpec<T> & E {
  return { type: 'string', scope: 'section', key, description, ...extra }
}

export function numberFlag<const E extends Extra<number> = {}>(key: ConfigKey<number>, description: string, extra: E = {} as E): FlagSpec<number> & E {
  return { type: 'string', numeric: true, scope: 'section', key, description, ...extra }
}

export function booleanFlag<const E extends Extra<boolean> = {}>(key: ConfigKey<boolean>, description: string, extra: E = {} as E): FlagSpec<boolean> & E {
  return { type: 'boolean', scope: 'section', key, description, ...extra }
}

export function listFlag<const E extends Extra<string[]> = {}>(key: ConfigKey<string[]>, description: string, extra: E = {} as E): FlagSpec<string[]> & E {
  return { type: 'string', multiple: true, scope: 'section', key, description, ...extra }
}

/** The `node:util` parseArgs options of a table (no defaults there: an absent flag must be seen as absent to fall back to the config). */
export function parseArgsOptions(table: FlagTable): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  return Object.fromEntries(Object.entries(table.flags).map(([name, s]) => [name, s.multiple ? { type: s.type, multiple: true } : { type: s.type }]))
}
