import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gitRepo } from './git-repo.js'

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/prisma-app')

/**
 * The example project as a pull request in a fresh git repository: `main` holds every migration but
 * `pending`, the checked-out branch `pr` adds those. Returns the repository folder (remove it after).
 */
export function fixturePullRequest(pending: string[], extra: Record<string, string> = {}): string {
  const repo = gitRepo('koinonia-pr-')
  cpSync(FIXTURE, repo.dir, { recursive: true })
  rmSync(join(repo.dir, 'scenario.json'))
  for (const [name, text] of Object.entries(extra)) repo.write(name, text)
  const aside = mkdtempSync(join(tmpdir(), 'koinonia-aside-'))
  for (const m of pending) cpSync(join(repo.dir, 'prisma/migrations', m), join(aside, m), { recursive: true })
  for (const m of pending) rmSync(join(repo.dir, 'prisma/migrations', m), { recursive: true })
  repo.commitAll('main')
  repo.git('checkout', '-qb', 'pr')
  for (const m of pending) cpSync(join(aside, m), join(repo.dir, 'prisma/migrations', m), { recursive: true })
  rmSync(aside, { recursive: true })
  repo.commitAll('pending migrations')
  return repo.dir
}
