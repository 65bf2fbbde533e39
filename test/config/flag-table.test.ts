import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { readFlags } from '../../src/cli/read-flags.js'
import { camelCase, type AnyFlagSpec } from '../../src/config/flag-spec.js'
import { FLAG_TABLES } from '../../src/config/flags/index.js'
import { CONFIG_KEYS } from '../../src/config/keys.js'

const ROOT = join(import.meta.dirname, '../..')

/**
 * The only flags without a config key or without a same-named API option, and why. Adding one is a
 * decision: it must be added here and gets its reason printed in docs/config.md.
 */
const EXCEPTIONS = {
  noConfig: [
    'drill --capture-reference', 'drill --config', 'init --force', 'lint --config', 'lint --since', 'lint --staged',
    'lint --stdin-filepath', 'refresh-staging --config', 'refresh-staging --i-know-this-is-staging', 'rules --format', 'sanitize --config', 'sweep --config',
    'verify --config', 'verify --since',
  ],
  noApi: [
    'drill --capture-reference', 'drill --config', 'drill --format', 'drill --output', 'init --format', 'lint --config', 'lint --format', 'lint --since',
    'lint --staged', 'lint --stdin-filepath', 'refresh-staging --config', 'refresh-staging --format', 'rules --format', 'rules --pg-version', 'sanitize --config',
    'sanitize --format', 'sweep --config', 'sweep --format', 'verify --config', 'verify --format', 'verify --output', 'verify --since',
  ],
}

const entries = () => Object.entries(FLAG_TABLES).flatMap(([command, table]) => Object.entries(table.flags).map(([flag, spec]) => ({ command, flag, spec, section: table.section })))

describe('every CLI flag maps to a config key and an API option of the same name', () => {
  it('every command has a flag table, and its parseArgs options are exactly the table', async () => {
    expect(Object.keys(FLAG_TABLES).sort()).toEqual(COMMANDS.map((c) => c.name).sort())
    for (const entry of COMMANDS) {
      const command = await entry.load()
      expect(Object.keys(command.options).sort(), entry.name).toEqual(Object.keys(FLAG_TABLES[entry.name].flags).sort())
      for (const [flag, option] of Object.entries(command.options)) {
        const spec = FLAG_TABLES[entry.name].flags[flag]
        expect({ type: option.type, multiple: option.multiple ?? false, default: 'default' in option }, `${entry.name} --${flag}`)
          .toEqual({ type: spec.type, multiple: spec.multiple ?? false, default: false })
      }
    }
  })

  it('every flag has a config key named after it, checked by the flag\'s own validator, unless it is a listed exception', () => {
    const keys = CONFIG_KEYS as unknown as Record<string, { fields?: Record<string, unknown> }>
    for (const { command, flag, spec, section } of entries()) {
      const where = `${command} --${flag}`
      if (spec.noConfig) continue
      const name = camelCase(flag)
      if (spec.scope === 'top') expect(keys[name], `${where} → ${name}`).toBe(spec.key)
      else expect(keys[section]?.fields?.[name], `${where} → ${section}.${name}`).toBe(spec.key)
    }
    const listed = (kind: 'noConfig' | 'noApi') => entries().filter((e) => e.spec[kind]).map((e) => `${e.command} --${e.flag}`).sort()
    expect(listed('noConfig')).toEqual(EXCEPTIONS.noConfig)
    expect(listed('noApi')).toEqual(EXCEPTIONS.noApi)
    for (const { spec } of entries()) for (const reason of [spec.noConfig, spec.noApi]) if (reason !== undefined) expect(reason.length).toBeGreaterThan(10)
  })

  it('every config section key is a flag of its command (no key without a flag)', () => {
    for (const [name, key] of Object.entries(CONFIG_KEYS as unknown as Record<string, { fields?: Record<string, unknown> }>)) {
      if (!key.fields) continue
      const flags = entries().filter((e) => e.section === name && e.spec.scope === 'section' && !e.spec.noConfig)
      const names = new Set(flags.flatMap((e) => [camelCase(e.flag), ...(e.spec.aliases ?? [])]))
      expect(Object.keys(key.fields).filter((k) => !names.has(k)), name).toEqual([])
    }
  })

  it('the API options types have a property of each flag\'s name: a table that names a missing option does not compile', () => {
    // Outside src/: a build running meanwhile must not see it.
    const probeDir = mkdtempSync(join(tmpdir(), 'koinonia-probe-'))
    const probe = join(probeDir, 'probe.mts')
    const src = (p: string) => JSON.stringify(join(ROOT, 'src', p))
    writeFileSync(probe, [
      `import type { SweepOptions } from ${src('postgres/sweep.js')}`,
      `import { defineFlags, numberFlag, stringFlag } from ${src('config/flag-spec.js')}`,
      `import { integerKey, stringKey } from ${src('config/value-keys.js')}`,
      "export const PROBE = defineFlags<SweepOptions>()('sweep', 'sweep', {",
      "  'tmp-dir': stringFlag(stringKey('a folder'), 'exists in SweepOptions'),",
      "  'no-such-option': stringFlag(stringKey('x'), 'missing from SweepOptions'),",
      "  label: numberFlag(integerKey('x'), 'wrong type: label is a string'),",
      '})',
    ].join('\n'))
    try {
      const program = ts.createProgram([join(ROOT, 'src/config/flags/index.ts'), probe], {
        strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
        skipLibCheck: true, noEmit: true, types: ['node'], lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
      })
      const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.slice(ROOT.length) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
      expect(errors.filter((e) => e.startsWith('/src/config/')), 'the real tables compile').toEqual([])
      const probed = ts.getPreEmitDiagnostics(program, program.getSourceFile(probe)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')
      expect(probed).toContain('the API options lack \\"noSuchOption\\"')
      expect(probed).toContain('the API option \\"label\\" does not accept this flag\'s value')
      expect(probed).not.toContain('tmpDir')
    } finally {
      rmSync(probeDir, { recursive: true, force: true })
    }
  }, 60_000)
})

/** A value each flag's validator accepts, twice: one for the config file, another for the flag. */
function samples(command: string, flag: string, spec: AnyFlagSpec): { config: unknown; flag: string | true | string[]; expected: [unknown, unknown] } {
  const choices = /^one of (.*)$/.exec(spec.key.allowed)?.[1].split(', ')
  if (choices) return { config: choices[1], flag: choices[0], expected: [choices[1], choices[0]] }
  if (spec.type === 'boolean') return { config: true, flag: true, expected: [true, true] }
  if (spec.multiple) {
    const [a, b] = flag === 'disable' ? ['ban-drop-column', 'ban-drop-table'] : ['SELECT 1', 'SELECT 2']
    return { config: [a], flag: [b], expected: [[a], [b]] }
  }
  if (spec.numeric) return { config: 12, flag: '34', expected: [12, 34] }
  if (/postgres/.test(spec.key.allowed) && !spec.path) return { config: 'postgres://config/db', flag: 'postgres://flag/db', expected: ['postgres://config/db', 'postgres://flag/db'] }
  const special: Record<string, [string, string]> = {
    'pg-version': ['16', '17'], 'prisma-version': ['6.5.0', '7.4.0'], 'key-env': ['CONFIG_KEY', 'FLAG_KEY'], 'target-time': ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
  }
  const [c, f] = special[flag] ?? ['from-config', 'from-flag']
  const parsed = (v: string) => (spec.path ? v : spec.key.parse(v, flag))
  return { config: flag === 'pg-version' ? Number(c) : c, flag: f, expected: [parsed(c), parsed(f)] }
}

describe('the CLI reads each option from its flag, else from its config key (every flag, every command)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'koinonia-flags-'))
    mkdirSync(join(dir, 'sub'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const rows = entries().filter((e) => !e.spec.noConfig).map((e) => [`${e.command} --${e.flag}`, e] as const)
  it.each(rows)('%s', async (_, { command, flag, spec, section }) => {
    const name = camelCase(flag)
    const sample = samples(command, flag, spec)
    const config = spec.scope === 'top' ? { [name]: sample.config } : { [section]: { [name]: sample.config } }
    writeFileSync(join(dir, 'koinonia.config.json'), JSON.stringify(config))
    const table = FLAG_TABLES[command]
    const cwd = join(dir, 'sub')
    const [fromConfig, fromFlag] = sample.expected.map((v, i) => (spec.path ? join(i === 0 ? dir : cwd, String(v)) : v))

    const absent = await readFlags(table, {}, cwd)
    expect((absent.options as Record<string, unknown>)[name], 'the config value when the flag is absent').toEqual(fromConfig)
    const given = await readFlags(table, { [flag]: sample.flag }, cwd)
    expect((given.options as Record<string, unknown>)[name], 'the flag wins').toEqual(fromFlag)
  })

  it('a flag without a config key ignores a config value of its name', async () => {
    writeFileSync(join(dir, 'koinonia.config.json'), JSON.stringify({ sanitize: { target: 'postgres://h/db' } }))
    const { options } = await readFlags(FLAG_TABLES['refresh-staging'], {}, dir)
    expect(options).toMatchObject({ target: 'postgres://h/db' })
    expect((options as Record<string, unknown>).iKnowThisIsStaging).toBeUndefined()
    writeFileSync(join(dir, 'koinonia.config.json'), JSON.stringify({ sanitize: { iKnowThisIsStaging: true } }))
    await expect(readFlags(FLAG_TABLES['refresh-staging'], {}, dir)).rejects.toMatchObject({ code: 'KDB_CONFIG_INVALID', message: expect.stringContaining('unknown key "iKnowThisIsStaging"') })
  })

  it('the old drill.rtoSeconds / rpoSeconds keys still set the targets', async () => {
    writeFileSync(join(dir, 'koinonia.config.yaml'), 'drill:\n  rtoSeconds: 600\n  rpoSeconds: 0\n')
    const { options } = await readFlags(FLAG_TABLES.drill, {}, dir)
    expect(options).toMatchObject({ rtoTarget: 600, rpoTarget: 0 })
  })

  it('a bad flag value is a usage error naming the flag and what it takes', async () => {
    await expect(readFlags(FLAG_TABLES.sanitize, { jobs: '0' }, dir)).rejects.toMatchObject({ code: 'KDB_FLAG_VALUE', message: '--jobs: 0 is not a whole number ≥ 1' })
    await expect(readFlags(FLAG_TABLES.sanitize, { 'unique-check': 'later' }, dir)).rejects.toMatchObject({ message: '--unique-check: "later" is not one of before, rebuild' })
    await expect(readFlags(FLAG_TABLES.lint, { 'pg-version': '9' }, dir)).rejects.toMatchObject({ code: 'KDB_PG_VERSION' })
  })
})
