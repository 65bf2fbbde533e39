import { RULES } from '../linter/rules/index.js'
import type { Severity } from '../linter/types.js'
import { ConfigProblem, defineConfigKey, describeValue } from './config-key.js'

const RULE_SETTINGS = ['error', 'warning', 'off'] as const

export const pgVersionKey = defineConfigKey<number>({
  allowed: 'a Postgres major version from 11 to 18, e.g. 15',
  parse(value, key) {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 11 || n > 18)
      throw new ConfigProblem([key], `${describeValue(value)} is not a supported Postgres version`, this.allowed)
    return n
  },
})

export const prismaVersionKey = defineConfigKey<string>({
  allowed: 'a Prisma version string such as "6.5.0"',
  parse(value, key) {
    if (typeof value !== 'string' || !/^\d+(\.\d+){0,2}([-+].*)?$/.test(value))
      throw new ConfigProblem([key], `${describeValue(value)} is not a Prisma version`, this.allowed)
    return value
  },
})

export const rulesKey = defineConfigKey<Record<string, Severity | 'off'>>({
  allowed: 'an object mapping rule ids to "error", "warning" or "off"',
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
