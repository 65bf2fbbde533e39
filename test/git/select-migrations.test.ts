import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { selectSince, selectStaged } from '../../src/git/select-migrations.js'
import { gitRepo, type GitRepo } from '../helpers/git-repo.js'

let repo: GitRepo

beforeEach(() => {
  repo = gitRepo('koinonia-git-')
  repo.write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "User" (id int);\n')
  repo.write('prisma/migrations/20240201000000_contacts/migration.sql', 'CREATE TABLE "Contact" (id int);\n')
  repo.write('prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n')
  repo.commitAll('init')
})
afterEach(() => rmSync(repo.dir, { recursive: true, force: true }))

describe('--staged', () => {
  it('selects only staged migrations', async () => {
    repo.write('prisma/migrations/20240301000000_index/migration.sql', 'CREATE INDEX i ON "User"(id);\n')
    repo.write('prisma/migrations/20240302000000_unstaged/migration.sql', 'SELECT 1;\n')
    repo.git('add', 'prisma/migrations/20240301000000_index/migration.sql')
    const sel = await selectStaged(repo.dir)
    expect(sel.files.map((f) => f.slice(repo.dir.length))).toEqual(['/prisma/migrations/20240301000000_index/migration.sql'])
    expect(sel.problems).toEqual([])
  })

  it('reports an edited committed migration', async () => {
    repo.write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "User" (id bigint);\n')
    repo.git('add', '-A')
    const sel = await selectStaged(repo.dir)
    expect(sel.problems.map((p) => p.code)).toEqual(['edited-migration'])
  })
})

describe('--since', () => {
  it('picks exactly the migrations added on the branch, committed or not', async () => {
    repo.git('checkout', '-qb', 'feature')
    repo.write('prisma/migrations/20240301000000_a/migration.sql', 'SELECT 1;\n')
    repo.commitAll('a')
    repo.write('prisma/migrations/20240302000000_b/migration.sql', 'SELECT 2;\n')
    repo.write('README.md', 'not a migration\n')
    const sel = await selectSince(repo.dir, 'main')
    expect(sel.files.map((f) => f.slice(repo.dir.length))).toEqual([
      '/prisma/migrations/20240301000000_a/migration.sql',
      '/prisma/migrations/20240302000000_b/migration.sql',
    ])
    expect(sel.problems).toEqual([])
    expect(sel.base).toMatch(/^[0-9a-f]{40}$/)
  })

  it('fails an edited old migration and a new one that sorts before existing ones', async () => {
    repo.git('checkout', '-qb', 'feature')
    repo.write('prisma/migrations/20240201000000_contacts/migration.sql', 'CREATE TABLE "Contact" (id bigint);\n')
    repo.write('prisma/migrations/20240115000000_late/migration.sql', 'SELECT 1;\n')
    const sel = await selectSince(repo.dir, 'main')
    expect(sel.problems.map((p) => p.code).sort()).toEqual(['edited-migration', 'out-of-order-migration'])
    expect(sel.problems.find((p) => p.code === 'out-of-order-migration')?.message).toContain('20240201000000_contacts')
  })

  it('gives a clear error for an unknown ref', async () => {
    await expect(selectSince(repo.dir, 'no-such-branch')).rejects.toMatchObject({ code: 'KDB_GIT_FAILED' })
  })
})
