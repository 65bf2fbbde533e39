import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { rulesFromConfig } from '../../src/sanitize/rules.js'
import { RULES_SCHEMA_PATH, sanitizeRulesSchema } from '../../src/sanitize/rules-schema.js'
import { STRATEGIES } from '../../src/sanitize/strategies/index.js'

const root = join(import.meta.dirname, '../..')
const validate = new Ajv({ allErrors: true, strict: true }).compile(sanitizeRulesSchema())
const schemaAccepts = (config: unknown) => validate(config) === true
const loaderAccepts = (config: unknown) => {
  try {
    rulesFromConfig(config as never)
    return true
  } catch {
    return false
  }
}

/** The YAML examples of docs/sanitize.md that are whole rules files. */
function documentedRulesFiles(): unknown[] {
  const text = readFileSync(join(root, 'docs/sanitize.md'), 'utf8')
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1])).filter((doc) => doc?.version === 1 && doc.tables)
}

describe('the rules file JSON Schema', () => {
  it('is the file the package ships (npm run docs writes it)', () => {
    expect(JSON.parse(readFileSync(join(root, RULES_SCHEMA_PATH), 'utf8'))).toEqual(sanitizeRulesSchema())
  })

  it('accepts the documented rules files and the church fixture, as the loader does', () => {
    const files = [...documentedRulesFiles(), parse(readFileSync(join(root, 'fixtures/sanitize/church.sanitize.yaml'), 'utf8'))]
    expect(files.length).toBeGreaterThanOrEqual(2)
    for (const config of files) {
      expect(loaderAccepts(config)).toBe(true)
      expect(schemaAccepts(config), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    }
  })

  it('describes every strategy and every parameter the loader knows', () => {
    const rule = (sanitizeRulesSchema().definitions as Record<string, { oneOf: Array<{ properties?: Record<string, unknown> }> }>).rule
    const objects = rule.oneOf.filter((o) => o.properties)
    expect(objects.map((o) => (o.properties!.strategy as { const: string }).const).sort()).toEqual(Object.keys(STRATEGIES).sort())
    for (const o of objects) {
      const name = (o.properties!.strategy as { const: string }).const
      expect(Object.keys(o.properties!).filter((k) => k !== 'strategy').sort()).toEqual(Object.keys(STRATEGIES[name].params).sort())
    }
  })

  // Each case: what a user might write. The schema and the loader must agree on it.
  const table = (columns: Record<string, unknown>) => ({ version: 1, tables: { users: columns } })
  const cases: Array<[string, unknown, boolean]> = [
    ['a strategy by name', table({ email: 'email', id: 'keep' }), true],
    ['a whole table kept', { version: 1, tables: { audit: 'keep' } }, true],
    ['an editor\'s $schema pointer', { $schema: './node_modules/koinonia-db/schema/sanitize-rules.schema.json', ...table({ email: 'email' }) }, true],
    ['parameters', table({ phone: { strategy: 'partial', keep_last: 4, char: '*' }, token: { strategy: 'hash', length: 40, keep_prefix: 8 } }), true],
    ['jsonb paths', table({ meta: { strategy: 'jsonb', paths: [{ path: 'a[*].email', action: 'mask', strategy: 'email' }, { path: 'b', action: 'set', value: { x: 1 } }, { path: 'c', action: 'delete' }] } }), true],
    ['keep with scan false and a reason', table({ author: { strategy: 'keep', scan: false, reason: 'public book authors' } }), true],
    ['choice from values, per entity', table({ country: { strategy: 'choice', values: ['FR', 'DE', 'JP'], by: 'id' }, tier: { strategy: 'choice', values: [1, 2, 3] } }), true],
    ['choice from one value', table({ country: { strategy: 'choice', values: ['FR'] } }), false],
    ['choice without values', table({ country: { strategy: 'choice' } }), false],
    ['choice from objects', table({ country: { strategy: 'choice', values: [{ a: 1 }, { b: 2 }] } }), false],
    ['scrub with names_of', table({ body: { strategy: 'scrub', names_of: 'contact_id' } }), true],
    ['references', { ...table({ phone: 'phone' }), references: [{ from: 'messages.to_phone', to: 'users.phone' }] }, true],
    ['no version', { tables: { users: { email: 'email' } } }, false],
    ['version 2', { version: 2, tables: {} }, false],
    ['an unknown top-level key', { ...table({ email: 'email' }), extra: 1 }, false],
    ['an unknown strategy', table({ email: 'emial' }), false],
    ['an unknown parameter', table({ email: { strategy: 'email', domian: 'x.org' } }), false],
    ['a parameter of the wrong type', table({ phone: { strategy: 'partial', keep_last: 'four' } }), false],
    ['a number out of range', table({ token: { strategy: 'hash', length: 10 } }), false],
    ['a name part that does not exist', table({ name: { strategy: 'name', part: 'middle' } }), false],
    ['constant without a value', table({ pw: 'constant' }), false],
    ['jsonb without paths', table({ meta: 'jsonb' }), false],
    ['a jsonb path rule with a misspelt key', table({ meta: { strategy: 'jsonb', paths: [{ path: 'a', action: 'mask', stratgy: 'email' }] } }), false],
    ['a jsonb path rule masking with a strategy leaves do not take', table({ meta: { strategy: 'jsonb', paths: [{ path: 'a', action: 'mask', strategy: 'noise' }] } }), false],
    ['a reference with an extra key', { ...table({ phone: 'phone' }), references: [{ from: 'a.b', to: 'c.d', both: true }] }, false],
    ['a reference without a column', { ...table({ phone: 'phone' }), references: [{ from: 'messages', to: 'users.phone' }] }, false],
  ]
  it.each(cases)('agrees with the loader on %s', (_, config, valid) => {
    expect(loaderAccepts(config)).toBe(valid)
    expect(schemaAccepts(config)).toBe(valid)
  })
})
