import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/prisma-app')

/**
 * The example project as a pull request in a fresh git repository: `main` holds every migration but
 * `pending`, the checked-out branch `pr` adds those. Returns the repository folder (remove it after).
 */
export function fixturePullRequest(pending: string[], extra: Record<string, string> = {}): string {
  const repo = mkdtempSync(join(tmpdir(), 'koinonia-pr-'))
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' })
  cpSync(FIXTURE, repo, { recursive: true })
  rmSync(join(repo, 'scenario.json'))
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(repo, name), text)
  const aside = mkdtempSync(join(tmpdir(), 'koinonia-aside-'))
  for (const m of pending) cpSync(join(repo, 'prisma/migrations', m), join(aside, m), { recursive: true })
  for (const m of pending) rmSync(join(repo, 'prisma/migrations', m), { recursive: true })
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'dev@example.com')
  git('config', 'user.name', 'Dev')
  git('add', '-A')
  git('commit', '-qm', 'main')
  git('checkout', '-qb', 'pr')
  for (const m of pending) cpSync(join(aside, m), join(repo, 'prisma/migrations', m), { recursive: true })
  rmSync(aside, { recursive: true })
  git('add', '-A')
  git('commit', '-qm', 'pending migrations')
  return repo
}
