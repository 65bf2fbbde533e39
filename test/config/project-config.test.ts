import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { lintFiles } from '../../src/linter/lint.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'dist/cli/main.cjs')
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'koinonia-config-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('koinonia.config.ts', () => {
  it('is loaded with defineConfig, typed and validated like the others', async () => {
    writeFileSync(join(dir, 'koinonia.config.ts'), [
      `import { defineConfig } from ${JSON.stringify(join(ROOT, 'src/config/define-config.ts'))}`,
      "const major: number = 16",
      "export default defineConfig({ pgVersion: major, provider: 'system', rows: 50, load: true, maxRewriteRows: 5000, drill: { rtoSeconds: 600 }, sanitize: { rules: 'sanitize.yaml', jobs: 2 } })",
    ].join('\n'))
    const { path, config } = await loadConfig({ cwd: dir })
    expect(path).toBe(join(dir, 'koinonia.config.ts'))
    expect(config).toEqual({ pgVersion: 16, provider: 'system', rows: 50, load: true, maxRewriteRows: 5000, drill: { rtoSeconds: 600 }, sanitize: { rules: 'sanitize.yaml', jobs: 2 } })
  })

  it('rejects an unknown key and a bad nested value, naming the file and what is allowed', async () => {
    writeFileSync(join(dir, 'koinonia.config.mjs'), 'export default { pgVersion: 15, provder: "system" }\n')
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ code: 'KDB_CONFIG_INVALID', file: join(dir, 'koinonia.config.mjs'), message: 'unknown key "provder"' })
    rmSync(join(dir, 'koinonia.config.mjs'))
    writeFileSync(join(dir, 'koinonia.config.yaml'), 'pgVersion: 15\ndrill:\n  rtoSeconds: soon\n')
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ code: 'KDB_CONFIG_INVALID', line: 3, message: expect.stringContaining('drill.rtoSeconds') })
    writeFileSync(join(dir, 'koinonia.config.yaml'), 'load: yes please\n')
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ code: 'KDB_CONFIG_INVALID', line: 1, hint: expect.stringContaining('true or false') })
  })

  it('reports a config module that throws as a config error', async () => {
    writeFileSync(join(dir, 'koinonia.config.ts'), 'throw new Error("boom")\nexport default {}\n')
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ code: 'KDB_CONFIG_INVALID', message: expect.stringContaining('boom') })
  })
})

describe('per-path overrides', () => {
  it('change rule settings only for the files their globs match', async () => {
    for (const name of ['20220101000000_old', '20250101000000_new']) {
      mkdirSync(join(dir, 'prisma/migrations', name), { recursive: true })
      writeFileSync(join(dir, 'prisma/migrations', name, 'migration.sql'), 'CREATE INDEX i ON "User"(email);\n')
    }
    const overrides = [{ files: ['prisma/migrations/2022*/**'], rules: { 'require-concurrent-index': 'off' as const } }]
    const result = await lintFiles([join(dir, 'prisma/migrations')], { overrides, cwd: dir, prismaVersion: '6.0.0' })
    const fired = result.files.map((f) => f.statements[0].findings.some((x) => x.rule === 'require-concurrent-index'))
    expect(fired).toEqual([false, true])
  })
})

describe('verify reads the config', () => {
  it('takes provider and rows from koinonia.config.json; flags still win', () => {
    const project = join(dir, 'app')
    cpSync(join(ROOT, 'fixtures/prisma-app'), project, { recursive: true })
    writeFileSync(join(project, 'koinonia.config.json'), JSON.stringify({ provider: 'system', rows: 25, seed: 7 }))
    const run = spawnSync(process.execPath, [BIN, 'verify', project, '--format', 'json', '--seed', '9'], { encoding: 'utf8', timeout: 180_000 })
    expect(run.status, run.stderr).toBe(1)
    const report = JSON.parse(run.stdout)
    expect(report.provider).toBe('system')
    expect(report.snapshot).toMatchObject({ kind: 'synthetic', rows: 25, seed: 9 })
  })
})
