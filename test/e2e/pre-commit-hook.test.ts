import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js')
let repo: string
const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' })
const kdb = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: repo, encoding: 'utf8' })
function write(rel: string, text: string) {
  mkdirSync(join(repo, rel, '..'), { recursive: true })
  writeFileSync(join(repo, rel), text)
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'koinonia-e2e-'))
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'dev@example.com')
  git('config', 'user.name', 'Dev')
  // The package as a project has it installed: its bin on node_modules/.bin, found by npx.
  write('package.json', JSON.stringify({ name: 'church-app', private: true, devDependencies: { prisma: '6.5.0', 'koinonia-db': '*' } }))
  mkdirSync(join(repo, 'node_modules', '.bin'), { recursive: true })
  symlinkSync(BIN, join(repo, 'node_modules', '.bin', 'koinonia-db'))
  write('.gitignore', 'node_modules\n')
  write('prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n')
  write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "Contact" ("id" SERIAL PRIMARY KEY, "phone" TEXT);\n')
  git('add', '-A')
  expect(git('commit', '-qm', 'init').status).toBe(0)
  const init = kdb('init')
  expect(init.status, init.stderr).toBe(0)
})
afterEach(() => rmSync(repo, { recursive: true, force: true }))

describe('the pre-commit hook written by `koinonia-db init`', () => {
  it('blocks a commit that stages a risky migration, naming the finding', () => {
    write('prisma/migrations/20240201000000_phone_idx/migration.sql', 'CREATE INDEX "Contact_phone_idx" ON "Contact"("phone");\n')
    git('add', 'prisma')
    const commit = git('commit', '-m', 'index')
    expect(commit.status).not.toBe(0)
    expect(commit.stdout + commit.stderr).toContain('require-concurrent-index')
    expect(git('log', '--oneline').stdout.trim().split('\n')).toHaveLength(1)
  })

  it('lets the commit through with a reasoned ignore comment', () => {
    write('prisma/migrations/20240201000000_phone_idx/migration.sql',
      "SET lock_timeout = '2s';\nSET statement_timeout = '30s';\n-- koinonia-db-ignore require-concurrent-index: Contact has 40 rows in production, the SHARE lock lasts milliseconds\nCREATE INDEX \"Contact_phone_idx\" ON \"Contact\"(\"phone\");\n")
    git('add', 'prisma')
    const commit = git('commit', '-m', 'index')
    expect(commit.status, commit.stdout + commit.stderr).toBe(0)
  })

  it('passes commits that stage no migration', () => {
    write('README.md', 'hello\n')
    git('add', 'README.md')
    expect(git('commit', '-m', 'docs').status).toBe(0)
  })

  it('fails when an already committed migration is edited', () => {
    write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE "Contact" ("id" BIGSERIAL PRIMARY KEY, "phone" TEXT);\n')
    git('add', 'prisma')
    const commit = git('commit', '-m', 'edit')
    expect(commit.status).not.toBe(0)
    expect(commit.stdout + commit.stderr).toContain('edited-migration')
  })
})

describe('lint --since in CI', () => {
  it('lints exactly the migrations of the branch and reports them in JUnit and Markdown', () => {
    git('checkout', '-qb', 'feature')
    write('prisma/migrations/20240301000000_a/migration.sql', 'ALTER TABLE "Contact" ADD COLUMN "email" TEXT;\n')
    git('add', '-A')
    git('commit', '-qm', 'a', '--no-verify')
    const json = JSON.parse(kdb('lint', '--since', 'main', '--format', 'json').stdout)
    expect(json.files.map((f: { path: string }) => f.path)).toEqual(['prisma/migrations/20240301000000_a/migration.sql'])
    const junit = kdb('lint', '--since', 'main', '--format', 'junit')
    expect(junit.stdout).toMatch(/^<\?xml/)
    expect(junit.stdout).toContain('<testsuite name="prisma/migrations/20240301000000_a/migration.sql"')
    const md = kdb('lint', '--since', 'main', '--format', 'markdown')
    expect(md.stdout).toContain('### koinonia-db lint:')
  })
})
