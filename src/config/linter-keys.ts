import { RULES } from '../linter/rules/index.js'
import type { Severity } from '../linter/types.js'
import { ConfigProblem, defineConfigKey, describeValue } from './config-key.js'

const RULE_SETTINGS = ['error', 'warning', 'off'] as const

const RULES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(RULES.map((r) => [r.id, { enum: [...RULE_SETTINGS], description: r.docs.summary }])),
  description: 'rule id → "error", "warning" or "off"',
}

export const rulesKey = defineConfigKey<Record<string, Severity | 'off'>>({
  allowed: 'an object mapping rule ids to "error", "warning" or "off"',
  schema: RULES_SCHEMA,
  parse(value, key) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ConfigProblem([key], `expected an object, got ${describeValue(value)}`, this.allowed)
    const known = new Set(RULES.map((r) => r.id))
    const out: Record<string, Severity | 'off'> = {}
    for (const [id, setting] of Object.entries(value)) {
      if (!known.has(id))
        throw new ConfigProblem([key, id], `unknown rule "${id}"`, 'a rule id listed by `koinonia-db rules`')
      if (!RULE_SETTINGS.includes(setting as never))
        throw new ConfigProblem([key, id], `${describeValue(setting)} is not a rule setting`, '"error", "warning" or "off"')
      out[id] = setting as Severity | 'off'
    }
    return out
  },
})

export interface RuleOverride {
  files: string[]
  rules: Record<string, Severity | 'off'>
}

/** Per-path rule settings: old migrations that were judged by other standards, a folder of data fixes. */
export const overridesKey = defineConfigKey<RuleOverride[]>({
  allowed: 'a list of { files: ["glob", ...], rules: { "<rule-id>": "error" | "warning" | "off" } }',
  schema: {
    type: 'array',
    description: 'rule settings for some files: migrations judged by other standards, a folder of data fixes',
    items: {
      type: 'object',
      required: ['files', 'rules'],
      additionalProperties: false,
      properties: { files: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'globs relative to the config file' }, rules: RULES_SCHEMA },
    },
  },
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
