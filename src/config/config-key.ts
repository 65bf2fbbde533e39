/**
 * One key of koinonia.config.*: what it accepts and how to check it. A flag and its config key share
 * one (src/config/flags/); keys.ts makes the top-level keys and the command sections from those tables.
 */
export interface ConfigKey<T = unknown> {
  /** What is allowed, in words, for error messages: "a Postgres major version from 11 to 18". */
  allowed: string
  /** Returns the value as the library uses it, or throws ConfigProblem. Must not do I/O. */
  parse(value: unknown, key: string): T
  /**
   * The same as JSON Schema, for editors (config-schema.ts): what a schema can say of it. `parse` may
   * check more (a value a schema cannot describe); without one the key takes any value there.
   */
  schema?: Record<string, unknown>
}

/** A value that is not allowed. `path` is the key path inside the file, e.g. ["rules", "ban-drop-column"]. */
export class ConfigProblem extends Error {
  constructor(readonly path: string[], message: string, readonly allowed?: string) {
    super(message)
    this.name = 'ConfigProblem'
  }
}

export function defineConfigKey<T>(key: ConfigKey<T>): ConfigKey<T> {
  return Object.freeze(key)
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return JSON.stringify(value)
  return String(value)
}
