import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { CONFIG_SCHEMA_PATH, configSchema } from '../../src/config/config-schema.js'
import { CONFIG_KEYS } from '../../src/config/keys.js'
import { parseConfig } from '../../src/config/load-config.js'

const root = join(import.meta.dirname, '../..')
const validate = new Ajv({ allErrors: true, strict: true }).compile(configSchema())
const loaderAccepts = async (config: unknown) => {
  try {
    await parseConfig(JSON.stringify(config), 'koinonia.config.json')
    return true
  } catch {
    return false
  }
}

describe('the config file JSON Schema', () => {
  it('is the file the package ships (npm run docs writes it)', () => {
    expect(JSON.parse(readFileSync(join(root, CONFIG_SCHEMA_PATH), 'utf8'))).toEqual(configSchema())
  })

  it('says something of every key, in every section', () => {
    const properties = configSchema().properties as Record<string, { properties?: Record<string, object> }>
    expect(Object.keys(properties).filter((k) => k !== '$schema').sort()).toEqual(Object.keys(CONFIG_KEYS).sort())
    const silent: string[] = []
    for (const [key, schema] of Object.entries(properties)) {
      if (Object.keys(schema).length === 0) silent.push(key)
      for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) if (Object.keys(fieldSchema).length === 0) silent.push(`${key}.${field}`)
    }
    expect(silent).toEqual([])
  })

  // What a user might write: the schema and the loader must agree on it.
  const cases: Array<[string, unknown, boolean]> = [
    ['an empty file', {}, true],
    ['the documented example', { pgVersion: 15, prismaVersion: '6.5.0', rules: { 'require-concurrent-index': 'warning', 'prefer-text-field': 'off' } }, true],
    ['an editor\'s $schema pointer', { $schema: './node_modules/koinonia-db/schema/koinonia-config.schema.json', pgVersion: 16 }, true],
    ['pgVersion as a string', { pgVersion: '15' }, true],
    ['sections', { provider: 'system', jobs: 2, lint: { format: 'json', disable: ['ban-drop-column'] }, verify: { format: 'json', noRollback: true }, drill: { rtoTarget: 900, rpoTarget: 0 } }, true],
    ['a top-level key inside a section', { verify: { provider: 'system' } }, false],
    ['overrides', { overrides: [{ files: ['prisma/migrations/2023*/**'], rules: { 'ban-drop-column': 'off' } }] }, true],
    ['a URL', { url: 'postgresql://localhost/postgres' }, true],
    ['an unknown key', { pgVersoin: 15 }, false],
    ['an unknown section key', { lint: { fromat: 'json' } }, false],
    ['pgVersion 10', { pgVersion: 10 }, false],
    ['pgVersion 19 as a string', { pgVersion: '19' }, false],
    ['a rule setting that does not exist', { rules: { 'require-concurrent-index': 'warn' } }, false],
    ['a rule that does not exist', { rules: { 'no-such-rule': 'off' } }, false],
    ['a format that does not exist', { lint: { format: 'xml' } }, false],
    ['overrides without files', { overrides: [{ rules: { 'ban-drop-column': 'off' } }] }, false],
    ['a list where a boolean goes', { load: ['yes'] }, false],
    ['a URL that is not postgres://', { url: 'mysql://localhost/db' }, false],
    ['a key variable that is no variable name', { sanitize: { keyEnv: '1-KEY' } }, false],
    ['a key variable', { sanitize: { keyEnv: 'STAGING_KEY' } }, true],
    ['a Prisma version that is not one', { prismaVersion: 'latest' }, false],
    ['zero jobs', { jobs: 0 }, false],
    ['a negative RTO target', { drill: { rtoTarget: -1 } }, false],
  ]
  it.each(cases)('agrees with the loader on %s', async (_, config, valid) => {
    expect(await loaderAccepts(config)).toBe(valid)
    expect(validate(config), JSON.stringify(validate.errors?.slice(0, 3))).toBe(valid)
  })
})
