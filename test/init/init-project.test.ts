import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { initProject } from '../../src/init/init-project.js'
import { loadConfig } from '../../src/config/load-config.js'
import { gitRepo } from '../helpers/git-repo.js'

let dir: string
beforeEach(() => {
  dir = gitRepo('koinonia-init-').dir
  mkdirSync(join(dir, 'prisma', 'migrations'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ devDependencies: { prisma: '6.5.0' } }))
  writeFileSync(join(dir, 'pnpm-lock.yaml'), '')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('initProject', () => {
  it('writes config, a plain git hook and a workflow; a second run changes nothing', async () => {
    const first = await initProject({ cwd: dir })
    expect(first.project).toMatchObject({ kind: 'prisma', packageManager: 'pnpm', hooks: 'git', migrationsDir: 'prisma/migrations' })
    expect(first.files.map((f) => f.action)).toEqual(['created', 'created', 'created'])
    const hook = join(dir, '.git', 'hooks', 'pre-commit')
    expect(readFileSync(hook, 'utf8')).toContain('pnpm exec koinonia-db lint --staged')
    expect(statSync(hook).mode & 0o111).not.toBe(0)
    const wf = parse(readFileSync(join(dir, '.github', 'workflows', 'koinonia-db.yml'), 'utf8'))
    expect(wf.on.pull_request.paths).toEqual(['prisma/migrations/**'])
    expect(JSON.parse(readFileSync(join(dir, 'koinonia.config.json'), 'utf8'))).toEqual({ $schema: './node_modules/koinonia-db/schema/koinonia-config.schema.json', pgVersion: 15 })
    // The file it writes is one the loader takes (the $schema key is for editors).
    expect(await loadConfig({ cwd: dir })).toMatchObject({ config: { pgVersion: 15 } })

    const second = await initProject({ cwd: dir })
    expect(second.files.map((f) => f.action)).toEqual(['unchanged', 'unchanged', 'unchanged'])
  })

  it('never overwrites a different file without force', async () => {
    writeFileSync(join(dir, 'koinonia.config.json'), '{"pgVersion": 16}\n')
    const result = await initProject({ cwd: dir })
    expect(result.files[0]).toMatchObject({ action: 'skipped' })
    expect(readFileSync(join(dir, 'koinonia.config.json'), 'utf8')).toBe('{"pgVersion": 16}\n')
    const forced = await initProject({ cwd: dir, force: true })
    expect(forced.files[0]).toMatchObject({ action: 'updated' })
  })

  it('appends to an existing husky hook once, keeping what was there', async () => {
    mkdirSync(join(dir, '.husky'))
    writeFileSync(join(dir, '.husky', 'pre-commit'), 'pnpm test\n')
    await initProject({ cwd: dir })
    await initProject({ cwd: dir })
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe('pnpm test\npnpm exec koinonia-db lint --staged\n')
  })

  it('adds a lefthook command without disturbing other commands', async () => {
    writeFileSync(join(dir, 'lefthook.yml'), 'pre-commit:\n  commands:\n    eslint:\n      run: pnpm eslint\n')
    const first = await initProject({ cwd: dir })
    expect(first.files[1].action).toBe('updated')
    const again = await initProject({ cwd: dir })
    expect(again.files[1].action).toBe('unchanged')
    const cfg = parse(readFileSync(join(dir, 'lefthook.yml'), 'utf8'))
    expect(Object.keys(cfg['pre-commit'].commands)).toEqual(['eslint', 'koinonia-db'])
  })
})
