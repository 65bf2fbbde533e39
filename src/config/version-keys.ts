import { ConfigProblem, defineConfigKey, describeValue } from './config-key.js'
import { stringListKey } from './value-keys.js'

// Kept apart from linter-keys.ts (which loads the rules, and with them the parser): `lint` must set a
// V8 flag before the parser is imported, and its flag table is imported first.

export const pgVersionKey = defineConfigKey<number>({
  allowed: 'a Postgres major version from 11 to 18, e.g. 15',
  schema: { anyOf: [{ type: 'integer', minimum: 11, maximum: 18 }, { type: 'string', pattern: '^0*1[1-8]$' }], description: 'a Postgres major version from 11 to 18, e.g. 15' },
  parse(value, key) {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 11 || n > 18)
      throw new ConfigProblem([key], `${describeValue(value)} is not a supported Postgres version`, this.allowed)
    return n
  },
})

export const prismaVersionKey = defineConfigKey<string>({
  allowed: 'a Prisma version string such as "6.5.0"',
  schema: { type: 'string', pattern: '^\\d+(\\.\\d+){0,2}([-+].*)?$', description: 'a Prisma version string such as "6.5.0"' },
  parse(value, key) {
    if (typeof value !== 'string' || !/^\d+(\.\d+){0,2}([-+].*)?$/.test(value))
      throw new ConfigProblem([key], `${describeValue(value)} is not a Prisma version`, this.allowed)
    return value
  },
})

/** Rule ids by shape; `lint` checks them against the rules once they are loaded. */
export const ruleIdListKey = stringListKey('a list of rule ids listed by `koinonia-db rules`', (id) => (/^[a-z][a-z0-9-]*$/.test(id) ? null : `"${id}" is not a rule id`), { pattern: '^[a-z][a-z0-9-]*$' })
