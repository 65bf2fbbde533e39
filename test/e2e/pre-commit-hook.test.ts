import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { gitRepo, type GitRepo } from '../helpers/git-repo.js'

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.cjs')
let repo: GitRepo
const kdb = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: repo.dir, encoding: 'utf8' })

beforeEach(() => {
  repo = gitRepo('koinonia-e2e-')
  // The package as a project has it installed: its bin on node_modules/.bin, found by npx.
  repo.write('package.json', JSON.stringify({ name: 'church-app', private: true, devDependencies: { prisma: '6.5.0', 'koinonia-db': '*' } }))
  mkdirSync(join(repo.dir, 'node_modules', '.bin'), { recursive: true })
  symlinkSync(BIN, join(repo.dir, 'node_modules', '.bin', 'koinonia-db'))
  repo.write('.gitignore', 'node_modules\n')
  repo.write('prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n')
  repo.write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "Contact" ("id" SERIAL PRIMARY KEY, "phone" TEXT);\n')
  repo.commitAll('init')
  const init = kdb('init')
  expect(init.status, init.stderr).toBe(0)
})
afterEach(() => rmSync(repo.dir, { recursive: true, force: true }))

describe('the pre-commit hook written by `koinonia-db init`', () => {
  it('blocks a commit that stages a risky migration, naming the finding', () => {
    repo.write('prisma/migrations/20240201000000_phone_idx/migration.sql', 'CREATE INDEX "Contact_phone_idx" ON "Contact"("phone");\n')
    repo.git('add', 'prisma')
    const commit = repo.git('commit', '-m', 'index')
    expect(commit.status).not.toBe(0)
    expect(commit.stdout + commit.stderr).toContain('require-concurrent-index')
    expect(repo.git('log', '--oneline').stdout.trim().split('\n')).toHaveLength(1)
  })

  it('lets the commit through with a reasoned ignore comment', () => {
    repo.write('prisma/migrations/20240201000000_phone_idx/migration.sql',
      "SET lock_timeout = '2s';\nSET statement_timeout = '30s';\n-- koinonia-db-ignore require-concurrent-index: Contact has 40 rows in production, the SHARE lock lasts milliseconds\nCREATE INDEX \"Contact_phone_idx\" ON \"Contact\"(\"phone\");\n")
    repo.git('add', 'prisma')
    const commit = repo.git('commit', '-m', 'index')
    expect(commit.status, commit.stdout + commit.stderr).toBe(0)
  })

  it('passes commits that stage no migration', () => {
    repo.write('README.md', 'hello\n')
    repo.git('add', 'README.md')
    expect(repo.git('commit', '-m', 'docs').status).toBe(0)
  })

  it('fails when an already committed migration is edited', () => {
    repo.write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "Contact" ("id" BIGSERIAL PRIMARY KEY, "phone" TEXT);\n')
    repo.git('add', 'prisma')
    const commit = repo.git('commit', '-m', 'edit')
    expect(commit.status).not.toBe(0)
    expect(commit.stdout + commit.stderr).toContain('edited-migration')
  })
})

describe('lint --since in CI', () => {
  it('lints exactly the migrations of the branch and reports them in JUnit and Markdown', () => {
    repo.git('checkout', '-qb', 'feature')
    repo.write('prisma/migrations/20240301000000_a/migration.sql', 'ALTER TABLE "Contact" ADD COLUMN "email" TEXT;\n')
    repo.git('add', '-A')
    repo.git('commit', '-qm', 'a', '--no-verify')
    const json = JSON.parse(kdb('lint', '--since', 'main', '--format', 'json').stdout)
    expect(json.files.map((f: { path: string }) => f.path)).toEqual(['prisma/migrations/20240301000000_a/migration.sql'])
    const junit = kdb('lint', '--since', 'main', '--format', 'junit')
    expect(junit.stdout).toMatch(/^<\?xml/)
    expect(junit.stdout).toContain('<testsuite name="prisma/migrations/20240301000000_a/migration.sql"')
    const md = kdb('lint', '--since', 'main', '--format', 'markdown')
    expect(md.stdout).toContain('### koinonia-db lint:')
  })
})
