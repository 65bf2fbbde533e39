import { ConfigProblem, defineConfigKey, describeValue } from './config-key.js'
import { RULE_ID } from '../linter/define-rule.js'
import { stringListKey } from './value-keys.js'

// Kept apart from linter-keys.ts (which loads the rules, and with them the parser): `lint` must set a
// V8 flag before the parser is imported, and its flag table is imported first.

const PG_VERSION = 'a Postgres major version from 11 to 18, e.g. 15'
export const pgVersionKey = defineConfigKey<number>({
  allowed: PG_VERSION,
  // A string of digits is read as its number (parse): "15" and "015" too.
  schema: { anyOf: [{ type: 'integer', minimum: 11, maximum: 18 }, { type: 'string', pattern: '^0*1[1-8]$' }], description: PG_VERSION },
  parse(value, key) {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 11 || n > 18)
      throw new ConfigProblem([key], `${describeValue(value)} is not a supported Postgres version`, this.allowed)
    return n
  },
})

const PRISMA_VERSION = /^\d+(\.\d+){0,2}([-+].*)?$/
export const prismaVersionKey = defineConfigKey<string>({
  allowed: 'a Prisma version string such as "6.5.0"',
  schema: { type: 'string', pattern: PRISMA_VERSION.source, description: 'a Prisma version string such as "6.5.0"' },
  parse(value, key) {
    if (typeof value !== 'string' || !PRISMA_VERSION.test(value))
      throw new ConfigProblem([key], `${describeValue(value)} is not a Prisma version`, this.allowed)
    return value
  },
})

/** Rule ids by shape; `lint` checks them against the rules once they are loaded. */
export const ruleIdListKey = stringListKey('a list of rule ids listed by `koinonia-db rules`', (id) => (RULE_ID.test(id) ? null : `"${id}" is not a rule id`), { pattern: RULE_ID.source })
