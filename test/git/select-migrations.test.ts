import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { selectSince, selectStaged } from '../../src/git/select-migrations.js'

let repo: string
const sh = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' })
function write(rel: string, text: string) {
  mkdirSync(join(repo, rel, '..'), { recursive: true })
  writeFileSync(join(repo, rel), text)
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'koinonia-git-'))
  sh('init', '-q', '-b', 'main')
  sh('config', 'user.email', 't@example.com')
  sh('config', 'user.name', 'T')
  write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "User" (id int);\n')
  write('prisma/migrations/20240201000000_contacts/migration.sql', 'CREATE TABLE "Contact" (id int);\n')
  write('prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n')
  sh('add', '-A')
  sh('commit', '-qm', 'init')
})
afterEach(() => rmSync(repo, { recursive: true, force: true }))

describe('--staged', () => {
  it('selects only staged migrations', async () => {
    write('prisma/migrations/20240301000000_index/migration.sql', 'CREATE INDEX i ON "User"(id);\n')
    write('prisma/migrations/20240302000000_unstaged/migration.sql', 'SELECT 1;\n')
    sh('add', 'prisma/migrations/20240301000000_index/migration.sql')
    const sel = await selectStaged(repo)
    expect(sel.files.map((f) => f.slice(repo.length))).toEqual(['/prisma/migrations/20240301000000_index/migration.sql'])
    expect(sel.problems).toEqual([])
  })

  it('reports an edited committed migration', async () => {
    write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "User" (id bigint);\n')
    sh('add', '-A')
    const sel = await selectStaged(repo)
    expect(sel.problems.map((p) => p.code)).toEqual(['edited-migration'])
  })
})

describe('--since', () => {
  it('picks exactly the migrations added on the branch, committed or not', async () => {
    sh('checkout', '-qb', 'feature')
    write('prisma/migrations/20240301000000_a/migration.sql', 'SELECT 1;\n')
    sh('add', '-A')
    sh('commit', '-qm', 'a')
    write('prisma/migrations/20240302000000_b/migration.sql', 'SELECT 2;\n')
    write('README.md', 'not a migration\n')
    const sel = await selectSince(repo, 'main')
    expect(sel.files.map((f) => f.slice(repo.length))).toEqual([
      '/prisma/migrations/20240301000000_a/migration.sql',
      '/prisma/migrations/20240302000000_b/migration.sql',
    ])
    expect(sel.problems).toEqual([])
    expect(sel.base).toMatch(/^[0-9a-f]{40}$/)
  })

  it('fails an edited old migration and a new one that sorts before existing ones', async () => {
    sh('checkout', '-qb', 'feature')
    write('prisma/migrations/20240201000000_contacts/migration.sql', 'CREATE TABLE "Contact" (id bigint);\n')
    write('prisma/migrations/20240115000000_late/migration.sql', 'SELECT 1;\n')
    const sel = await selectSince(repo, 'main')
    expect(sel.problems.map((p) => p.code).sort()).toEqual(['edited-migration', 'out-of-order-migration'])
    expect(sel.problems.find((p) => p.code === 'out-of-order-migration')?.message).toContain('20240201000000_contacts')
  })

  it('gives a clear error for an unknown ref', async () => {
    await expect(selectSince(repo, 'no-such-branch')).rejects.toMatchObject({ code: 'KDB_GIT_FAILED' })
  })
})
