import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { readPrismaAnnotations } from '../../src/sanitize/prisma-annotations.js'
import { loadRulesFile, mergeRules, rulesFromConfig } from '../../src/sanitize/rules.js'
import { parseJsonPath, toJsonPath } from '../../src/sanitize/strategies/jsonb-paths.js'
import { resolveKey } from '../../src/sanitize/key.js'

const dir = mkdtempSync(join(tmpdir(), 'kdb-sanitize-rules-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const thrown = (fn: () => unknown): InputError => {
  try {
    fn()
  } catch (e) {
    return e as InputError
  }
  throw new Error('expected an error')
}

describe('rules file', () => {
  it('reads YAML and JSON into table → column → rule, with public as the default schema', () => {
    const y = loadRulesFile(file('a.yaml', 'version: 1\ntables:\n  users:\n    email: email\n    phone: { strategy: partial, keep_last: 4 }\n  audit.log: keep\n'))
    expect(y.tables.get('public.users')!.columns.get('phone')).toMatchObject({ strategy: 'partial', params: { keep_last: 4 }, origin: { line: 5 } })
    expect(y.tables.get('audit.log')!.keepAll).toBeDefined()
    const j = loadRulesFile(file('a.json', JSON.stringify({ version: 1, tables: { users: { email: 'email' } } }, null, 2)))
    expect(j.tables.get('public.users')!.columns.get('email')!.strategy).toBe('email')
  })

  it('names the file and line of an unknown strategy, a bad parameter and a wrong version', () => {
    const unknown = thrown(() => loadRulesFile(file('b.yaml', 'version: 1\ntables:\n  users:\n    id: keep\n    email: emial\n')))
    expect(unknown).toBeInstanceOf(InputError)
    expect(unknown.code).toBe('KDB_SANITIZE_RULES_INVALID')
    expect(unknown.where).toMatch(/b\.yaml:5:\d+$/)
    expect(unknown.message).toContain('unknown strategy "emial"')
    const param = thrown(() => loadRulesFile(file('c.yaml', 'version: 1\ntables:\n  users:\n    token: { strategy: hash, length: 8 }\n')))
    expect(param.message).toContain('length must be between 20 and 64')
    expect(param.line).toBe(4)
    expect(thrown(() => loadRulesFile(file('d.yaml', 'version: 2\ntables: {}\n'))).line).toBe(1)
    expect(thrown(() => loadRulesFile(file('e.yaml', 'version: 1\ntables:\n  users: [\n'))).code).toBe('KDB_SANITIZE_RULES_SYNTAX')
  })

  it('checks JSON path rules', () => {
    expect(parseJsonPath('$.recipients[*].email')).toEqual(['recipients', '*', 'email'])
    expect(parseJsonPath('items[0].note')).toEqual(['items', '0', 'note'])
    expect(toJsonPath(['recipients', '*', 'email'])).toBe('$."recipients"[*]."email"')
    const bad = thrown(() => rulesFromConfig({ version: 1, tables: { t: { doc: { strategy: 'jsonb', paths: [{ path: 'a', action: 'mask', strategy: 'constant' }] } } } }))
    expect(bad.message).toContain('mask needs a strategy among')
  })

  it('merges Prisma annotations (with @map/@@map resolved) and reports a conflict naming both sources', async () => {
    const prisma = await readPrismaAnnotations(new URL('../../fixtures/sanitize/schema.prisma', import.meta.url).pathname)
    const users = prisma.tables.get('public.users')!
    expect(users.columns.get('full_name')).toMatchObject({ strategy: 'name', origin: { source: 'prisma' } })
    expect(users.columns.get('api_token')).toMatchObject({ strategy: 'hash', params: { keep_prefix: 8 } })
    expect(users.columns.get('password_hash')!.params.value).toMatch(/^\$2b\$10\$/)
    const same = rulesFromConfig({ version: 1, tables: { users: { email: 'email', id: 'keep' } } })
    expect(mergeRules(same, prisma).tables.get('public.users')!.columns.size).toBe(6)
    const conflicting = rulesFromConfig({ version: 1, tables: { users: { email: 'hash' } } })
    const err = thrown(() => mergeRules(conflicting, prisma))
    expect(err.code).toBe('KDB_SANITIZE_RULE_CONFLICT')
    expect(err.message).toMatch(/public\.users\.email is "hash" in .* but "email" in .*schema\.prisma:\d+/)
  })

  it('a Prisma scrub annotation names the person by field: names_of becomes the mapped column; a list parameter is comma-separated, by a field too', async () => {
    const schema = file('names-of.prisma', `datasource db {\n  provider = "postgresql"\n}\n
model Contact {\n  id        Int    @id\n  /// @sanitize name part=first\n  firstName String @map("first_name")\n  /// @sanitize choice values=FR,DE,JP by=regionId\n  country String\n  regionId Int @map(\"region_id\")\n  messages  Message[]\n}\n
model Message {\n  id        Int     @id\n  contactId Int     @map("contact_id")\n  contact   Contact @relation(fields: [contactId], references: [id])\n  /// @sanitize scrub names_of=contactId\n  body      String\n}\n`)
    const rules = await readPrismaAnnotations(schema)
    expect(rules.tables.get('public.Message')!.columns.get('body')).toMatchObject({ strategy: 'scrub', params: { names_of: 'contact_id' } })
    expect(rules.tables.get('public.Contact')!.columns.get('first_name')).toMatchObject({ strategy: 'name', params: { part: 'first' } })
    // A list parameter, comma-separated; by names a field, the rule its column.
    expect(rules.tables.get('public.Contact')!.columns.get('country')).toMatchObject({ strategy: 'choice', params: { values: ['FR', 'DE', 'JP'], by: 'region_id' } })
  })

  it('derives the key from the environment, refuses a short one, and is random without one', () => {
    const a = resolveKey({ K: 'a-long-enough-secret-value' }, 'K')
    expect(resolveKey({ K: 'a-long-enough-secret-value' }, 'K')).toEqual(a)
    expect(a.source).toBe('env')
    expect(resolveKey({}, 'K').id).not.toBe(resolveKey({}, 'K').id)
    expect(() => resolveKey({ K: 'short' }, 'K')).toThrow(/shorter than 16/)
  })
})
