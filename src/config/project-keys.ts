import type { ProviderName } from '../postgres/provider.js'
import type { Severity } from '../linter/types.js'
import { ConfigProblem, defineConfigKey, describeValue, type ConfigKey } from './config-key.js'
import { rulesKey } from './linter-keys.js'

const PROVIDERS: ProviderName[] = ['embedded', 'system', 'testcontainers', 'url']

function stringKey(allowed: string, test: (s: string) => boolean = (s) => s.length > 0): ConfigKey<string> {
  return defineConfigKey<string>({
    allowed,
    parse(value, key) {
      if (typeof value !== 'string' || !test(value)) throw new ConfigProblem([key], `${describeValue(value)} is not allowed`, allowed)
      return value
    },
  })
}

function positiveInteger(allowed: string): ConfigKey<number> {
  return defineConfigKey<number>({
    allowed,
    parse(value, key) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ConfigProblem([key], `${describeValue(value)} is not a whole number`, allowed)
      return value
    },
  })
}

/** An object with known keys only, each checked by its own ConfigKey. */
function objectKey<T extends Record<string, unknown>>(allowed: string, fields: { [K in keyof T]: ConfigKey<T[K]> }): ConfigKey<Partial<T>> {
  return defineConfigKey<Partial<T>>({
    allowed,
    parse(value, key) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigProblem([key], `expected an object, got ${describeValue(value)}`, allowed)
      const out: Partial<T> = {}
      for (const [name, v] of Object.entries(value)) {
        const field = (fields as Record<string, ConfigKey>)[name]
        if (!field) throw new ConfigProblem([key, name], `unknown key "${name}"`, `one of: ${Object.keys(fields).join(', ')}`)
        try {
          ;(out as Record<string, unknown>)[name] = field.parse(v, name)
        } catch (error) {
          if (error instanceof ConfigProblem) throw new ConfigProblem([key, ...error.path], error.message, error.allowed)
          throw error
        }
      }
      return out
    },
  })
}

export const providerKey = stringKey(`one of ${PROVIDERS.join(', ')}`, (s) => PROVIDERS.includes(s as ProviderName)) as ConfigKey<ProviderName>
export const imageKey = stringKey('a Docker image name, e.g. "postgres:15"')
export const urlKey = stringKey('a postgres:// URL of a server where scratch databases may be created', (s) => /^postgres(ql)?:\/\//.test(s))
export const migrationsDirKey = stringKey('the folder of migrations, relative to the config file, e.g. "prisma/migrations"')
export const snapshotKey = stringKey('a pg_dump file or folder, or a postgres:// URL dumped read-only')
export const rowsKey = positiveInteger('rows per table of a synthetic snapshot, e.g. 1000')
export const seedKey = positiveInteger('the seed of the synthetic snapshot, e.g. 1')

export const loadKey = defineConfigKey<boolean>({
  allowed: 'true or false: run a canary reader and writer during the replay',
  parse(value, key) {
    if (typeof value !== 'boolean') throw new ConfigProblem([key], `${describeValue(value)} is not true or false`, this.allowed)
    return value
  },
})
export const maxRewriteRowsKey = positiveInteger('rows above which an undeclared rewrite fails the gate, e.g. 10000')
export const slowMsKey = positiveInteger('milliseconds a write-blocking lock may be held on a non-empty table, e.g. 1000')
export const jobsKey = positiveInteger('parallel pg_restore jobs, e.g. 2')

export const sanitizeKey = objectKey<{ rules: string; jobs: number }>('an object: { rules: "sanitize.yaml", jobs: 4 }', {
  rules: stringKey('the sanitize rules file, relative to the config file'),
  jobs: positiveInteger('tables masked in parallel'),
})

export const drillKey = objectKey<{ rtoSeconds: number; rpoSeconds: number; history: string }>('an object: { rtoSeconds: 1800, rpoSeconds: 300, history: "drills.jsonl" }', {
  rtoSeconds: positiveInteger('the RTO target in seconds'),
  rpoSeconds: positiveInteger('the RPO target in seconds'),
  history: stringKey('the drill history file (JSON lines)'),
})

export interface RuleOverride {
  files: string[]
  rules: Record<string, Severity | 'off'>
}

/** Per-path rule settings: old migrations that were judged by other standards, a folder of data fixes. */
export const overridesKey = defineConfigKey<RuleOverride[]>({
  allowed: 'a list of { files: ["glob", ...], rules: { "<rule-id>": "error" | "warning" | "off" } }',
  parse(value, key) {
    if (!Array.isArray(value)) throw new ConfigProblem([key], `expected a list, got ${describeValue(value)}`, this.allowed)
    return value.map((entry, i) => {
      const at = [key, String(i)]
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ConfigProblem(at, `expected an object, got ${describeValue(entry)}`, this.allowed)
      const unknown = Object.keys(entry).find((k) => k !== 'files' && k !== 'rules')
      if (unknown) throw new ConfigProblem([...at, unknown], `unknown key "${unknown}"`, 'files and rules')
      const files = (entry as { files?: unknown }).files
      if (!Array.isArray(files) || files.length === 0 || files.some((f) => typeof f !== 'string'))
        throw new ConfigProblem([...at, 'files'], `expected a list of globs, got ${describeValue(files)}`, 'a list of globs such as ["prisma/migrations/2023*/**"]')
      let rules: Record<string, Severity | 'off'>
      try {
        rules = rulesKey.parse((entry as { rules?: unknown }).rules, 'rules')
      } catch (error) {
        if (error instanceof ConfigProblem) throw new ConfigProblem([...at, ...error.path], error.message, error.allowed)
        throw error
      }
      return { files: files as string[], rules }
    })
  },
})
