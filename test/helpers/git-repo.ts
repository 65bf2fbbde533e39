import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface GitRepo {
  /** The repository folder (remove it after the test). */
  dir: string
  /** git in the repository. A failure is returned, not thrown: a refused commit is what some tests look for. */
  git(...args: string[]): SpawnSyncReturns<string>
  /** Writes a file relative to the repository, creating its folders. */
  write(path: string, text: string): void
  /** `git add -A` and a commit (hooks run); throws when git refuses. */
  commitAll(message: string): void
}

/** A fresh repository in a temp folder, on branch `main`, with a committer of its own (CI machines have none). */
export function gitRepo(prefix: string): GitRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' })
  const must = (...args: string[]) => {
    const run = git(...args)
    if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}: ${run.stderr || run.stdout}`)
  }
  must('init', '-q', '-b', 'main')
  must('config', 'user.email', 'dev@example.com')
  must('config', 'user.name', 'Dev')
  return {
    dir,
    git,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    },
    commitAll(message) {
      must('add', '-A')
      must('commit', '-qm', message)
    },
  }
}
