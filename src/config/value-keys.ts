import { ConfigProblem, defineConfigKey, describeValue, type ConfigKey } from './config-key.js'

/** Reusable checks for config keys and flags; each says in words what it allows. */

/** A non-empty string; with `pattern`, one it matches (the JSON Schema says the same pattern). */
export function stringKey(allowed: string, pattern?: RegExp): ConfigKey<string> {
  const test = (s: string) => (pattern ? pattern.test(s) : s.length > 0)
  return defineConfigKey<string>({
    allowed,
    schema: { type: 'string', ...(pattern ? { pattern: pattern.source } : { minLength: 1 }), description: allowed },
    parse(value, key) {
      if (typeof value !== 'string' || !test(value)) throw new ConfigProblem([key], `${describeValue(value)} is not allowed`, allowed)
      return value
    },
  })
}

export function oneOfKey<const T extends string>(choices: readonly T[]): ConfigKey<T> {
  return defineConfigKey<T>({
    allowed: `one of ${choices.join(', ')}`,
    schema: { enum: [...choices] },
    parse(value, key) {
      if (!choices.includes(value as T)) throw new ConfigProblem([key], `${describeValue(value)} is not one of ${choices.join(', ')}`, this.allowed)
      return value as T
    },
  })
}

/** A whole number ≥ `min`. */
export function integerKey(allowed: string, min = 0): ConfigKey<number> {
  return defineConfigKey<number>({
    allowed,
    schema: { type: 'integer', minimum: min, description: allowed },
    parse(value, key) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
        throw new ConfigProblem([key], `${describeValue(value)} is not a whole number${min > 0 ? ` ≥ ${min}` : ''}`, allowed)
      return value
    },
  })
}

/** A number of seconds; `zeroOk` for an RPO of zero. */
export function secondsKey(allowed: string, zeroOk = false): ConfigKey<number> {
  return defineConfigKey<number>({
    allowed,
    schema: { type: 'number', ...(zeroOk ? { minimum: 0 } : { exclusiveMinimum: 0 }), description: allowed },
    parse(value, key) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zeroOk && value === 0))
        throw new ConfigProblem([key], `${describeValue(value)} is not a ${zeroOk ? 'non-negative' : 'positive'} number of seconds`, allowed)
      return value
    },
  })
}

export function booleanKey(allowed: string): ConfigKey<boolean> {
  return defineConfigKey<boolean>({
    allowed,
    schema: { type: 'boolean', description: allowed },
    parse(value, key) {
      if (typeof value !== 'boolean') throw new ConfigProblem([key], `${describeValue(value)} is not true or false`, allowed)
      return value
    },
  })
}

export function stringListKey(allowed: string, test: (s: string) => string | null = () => null, item: Record<string, unknown> = {}): ConfigKey<string[]> {
  return defineConfigKey<string[]>({
    allowed,
    schema: { type: 'array', items: { type: 'string', minLength: 1, ...item }, description: allowed },
    parse(value, key) {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !v)) throw new ConfigProblem([key], `expected a list of strings, got ${describeValue(value)}`, allowed)
      for (const [i, v] of value.entries()) {
        const problem = test(v)
        if (problem) throw new ConfigProblem([key, String(i)], problem, allowed)
      }
      return value as string[]
    },
  })
}

/** An object with known keys only, each checked by its own ConfigKey. */
export function objectKey<T extends Record<string, unknown>>(allowed: string, fields: { [K in keyof T]: ConfigKey<T[K]> }): ConfigKey<Partial<T>> {
  return defineConfigKey<Partial<T>>({
    allowed,
    schema: objectSchema(allowed, fields as Record<string, ConfigKey>),
    parse(value, key) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigProblem([key], `expected an object, got ${describeValue(value)}`, allowed)
      const out: Partial<T> = {}
      for (const [name, v] of Object.entries(value)) {
        const field = (fields as Record<string, ConfigKey>)[name]
        if (!field) throw new ConfigProblem([key, name], `unknown key "${name}"`, `one of: ${Object.keys(fields).join(', ')}`)
        try {
          ;(out as Record<string, unknown>)[name] = field.parse(v, name)
        } catch (error) {
          if (error instanceof ConfigProblem) throw new ConfigProblem([key, ...error.path], error.message, error.allowed ?? field.allowed)
          throw error
        }
      }
      return out
    },
  })
}

/** An object of known keys, each as its own key's schema says. */
export function objectSchema(description: string, fields: Record<string, ConfigKey>): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, properties: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.schema ?? {}])), description }
}

export const POSTGRES_URL = /^postgres(ql)?:\/\//
export const isPostgresUrl = (s: string): boolean => POSTGRES_URL.test(s)
