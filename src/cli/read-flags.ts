import { dirname, resolve } from 'node:path'
import { UsageError } from '../errors.js'
import { ConfigProblem } from '../config/config-key.js'
import { camelCase, type AnyFlagSpec, type FlagTable, type FlagValues } from '../config/flag-spec.js'
import type { KoinoniaConfig } from '../config/keys.js'
import { isPostgresUrl } from '../config/value-keys.js'

export interface ReadFlagsOptions {
  /** Where the config search starts (verify: the project folder). Default: the working directory. */
  configCwd?: string
}

export interface ReadFlags<F> {
  /** Each option from its flag, else its config key, else its default: flags win. */
  options: FlagValues<F>
  /** The same, split by where a value came from (the drill layers a drill file between them). */
  fromFlags: FlagValues<F>
  fromConfig: FlagValues<F>
  config: KoinoniaConfig
  configPath: string | null
}

/**
 * Reads a command's options from its flag table: the flag, else the config key of the same name,
 * else the default. One validator per option for both; paths are relative to the working directory
 * (a flag) or to the config file's folder (a key).
 */
export async function readFlags<F extends Record<string, AnyFlagSpec>>(table: FlagTable<F>, values: Record<string, unknown>, cwd: string, options: ReadFlagsOptions = {}): Promise<ReadFlags<F>> {
  const { loadConfig } = await import('../config/load-config.js')
  const { config, path: configPath } = await loadConfig({ cwd: options.configCwd ?? cwd, path: values.config as string | undefined })
  const fromFlags: Record<string, unknown> = {}
  const fromConfig: Record<string, unknown> = {}
  const merged: Record<string, unknown> = {}
  for (const [flag, spec] of Object.entries(table.flags)) {
    const name = camelCase(flag)
    const given = flagValue(flag, spec, values[flag])
    if (given !== undefined) fromFlags[name] = spec.path ? relativeTo(cwd, given) : given
    const set = spec.noConfig ? undefined : configValue(config, table.section, name, spec)
    if (set !== undefined) fromConfig[name] = spec.path && configPath ? relativeTo(dirname(configPath), set) : set
    merged[name] = fromFlags[name] ?? fromConfig[name] ?? spec.default
  }
  return { options: merged as FlagValues<F>, fromFlags: fromFlags as FlagValues<F>, fromConfig: fromConfig as FlagValues<F>, config, configPath }
}

/** The flag's value checked by the config key's validator; undefined when the flag is absent. */
export function flagValue(flag: string, spec: AnyFlagSpec, raw: unknown): unknown {
  if (raw === undefined || (spec.type === 'boolean' && raw === false)) return undefined
  const value = spec.numeric && typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
  try {
    return spec.key.parse(value, flag)
  } catch (error) {
    if (!(error instanceof ConfigProblem)) throw error
    throw new UsageError(spec.code ?? 'KDB_FLAG_VALUE', `--${flag}: ${error.message}`, { hint: `--${flag} takes ${error.allowed ?? spec.key.allowed}.` })
  }
}

function configValue(config: KoinoniaConfig, section: string, name: string, spec: AnyFlagSpec): unknown {
  if (spec.scope === 'top') return (config as Record<string, unknown>)[name]
  const settings = (config as Record<string, Record<string, unknown> | undefined>)[section]
  if (!settings) return undefined
  for (const key of [name, ...(spec.aliases ?? [])]) if (settings[key] !== undefined) return settings[key]
  return undefined
}

function relativeTo(base: string, value: unknown): unknown {
  return typeof value === 'string' && !isPostgresUrl(value) ? resolve(base, value) : value
}
