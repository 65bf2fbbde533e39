import { join, relative } from 'node:path'
import { isMigrationPath, migrationSortKey, migrationsFolderOf } from '../linter/discover.js'
import { git, repoRoot } from './git.js'

export interface SelectionProblem {
  path: string
  code: 'edited-migration' | 'deleted-migration' | 'out-of-order-migration'
  message: string
}

export interface MigrationSelection {
  /** Absolute paths of the migrations to lint or treat as pending, in run order. */
  files: string[]
  /** Changes that are errors of their own: applied migrations must never change, new ones must sort last. */
  problems: SelectionProblem[]
  /** The commit compared against (`--since`), or null for `--staged`. */
  base: string | null
}

interface Change {
  status: string
  path: string
}

function parseNameStatus(out: string): Change[] {
  return out.split('\n').filter(Boolean).map((line) => {
    const parts = line.split('\t')
    // Renames and copies list old and new path; the new one is what exists now.
    return { status: parts[0][0], path: parts[parts.length - 1] }
  })
}

/**
 * Migrations staged for commit (the pre-commit case). Only added or modified files count;
 * a modified file that already exists in HEAD is an edit of a migration that may be applied.
 */
export async function selectStaged(cwd: string): Promise<MigrationSelection> {
  const root = await repoRoot(cwd)
  const changes = parseNameStatus(await git(root, ['diff', '--cached', '--name-status', '-M', '--diff-filter=ACMRD']))
  const head = await filesAt(root, 'HEAD').catch(() => [] as string[])
  return classify(root, changes, head, null)
}

/**
 * Migrations added or changed since the merge base with `ref` (the CI case), including uncommitted work.
 */
export async function selectSince(cwd: string, ref: string): Promise<MigrationSelection> {
  const root = await repoRoot(cwd)
  const base = (await git(root, ['merge-base', 'HEAD', ref])).trim()
  const changes = parseNameStatus(await git(root, ['diff', '--name-status', '-M', '--diff-filter=ACMRD', base]))
  const untracked = (await git(root, ['ls-files', '--others', '--exclude-standard'])).split('\n').filter(Boolean)
  for (const path of untracked) changes.push({ status: 'A', path })
  return classify(root, changes, await filesAt(root, base), base)
}

async function filesAt(root: string, commit: string): Promise<string[]> {
  return (await git(root, ['ls-tree', '-r', '--name-only', commit])).split('\n').filter(Boolean)
}

function classify(root: string, changes: Change[], existing: string[], base: string | null): MigrationSelection {
  const problems: SelectionProblem[] = []
  const files: string[] = []
  const before = existing.filter(isMigrationPath)
  const existed = new Set(before)
  for (const change of changes.filter((c) => isMigrationPath(c.path))) {
    const abs = join(root, change.path)
    if (change.status === 'D') {
      if (existed.has(change.path))
        problems.push({ path: abs, code: 'deleted-migration', message: `${change.path} was deleted, but it may already be applied: keep applied migrations and add a new one that reverts it.` })
      continue
    }
    if (existed.has(change.path)) {
      problems.push({
        path: abs,
        code: 'edited-migration',
        message: `${change.path} already exists${base ? ` at ${base.slice(0, 12)}` : ' in HEAD'} and was edited: an applied migration must not change (Prisma rejects a changed checksum). Revert the edit and add a new migration.`,
      })
    }
    files.push(abs)
  }
  // A new migration must run after every migration that already exists in the same folder of migrations.
  for (const file of files) {
    const rel = relative(root, file)
    if (existed.has(rel)) continue
    const folder = migrationsFolderOf(rel)
    const key = migrationSortKey(rel)
    const later = before.filter((p) => migrationsFolderOf(p) === folder && migrationSortKey(p) > key)
    if (later.length)
      problems.push({
        path: file,
        code: 'out-of-order-migration',
        message: `${rel} sorts before ${later.length} existing migration(s) (e.g. ${migrationSortKey(later[0])}), so databases that already ran those would apply it out of order. Rename it with a later timestamp.`,
      })
  }
  files.sort((a, b) => (migrationSortKey(a) < migrationSortKey(b) ? -1 : 1))
  return { files, problems, base }
}
