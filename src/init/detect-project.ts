import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ProjectInfo {
  root: string
  kind: 'prisma' | 'sql'
  /** Folder of migrations relative to root. */
  migrationsDir: string
  packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun'
  hooks: 'husky' | 'lefthook' | 'git'
  isGitRepo: boolean
}

const SQL_FOLDERS = ['migrations', 'db/migrations', 'sql/migrations', 'database/migrations']

/** Looks at a project the way a person would: lockfiles, the Prisma folder, the hook manager in use. */
export function detectProject(root: string): ProjectInfo {
  const has = (p: string) => existsSync(join(root, p))
  const pkg = has('package.json') ? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) : {}
  const deps = { ...pkg.dependencies, ...pkg.devDependencies }
  const schema: string | undefined = pkg.prisma?.schema
  const prismaDir = schema ? join(schema, '..') : 'prisma'
  const prisma = has(join(prismaDir, 'migrations')) || has(join(prismaDir, 'schema.prisma')) || Boolean(deps.prisma)
  const packageManager = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : has('bun.lockb') || has('bun.lock') ? 'bun' : 'npm'
  const hooks = has('.husky') || deps.husky ? 'husky' : has('lefthook.yml') || has('lefthook.yaml') || deps.lefthook ? 'lefthook' : 'git'
  return {
    root,
    kind: prisma ? 'prisma' : 'sql',
    migrationsDir: prisma ? join(prismaDir, 'migrations') : (SQL_FOLDERS.find(has) ?? 'migrations'),
    packageManager,
    hooks,
    isGitRepo: has('.git'),
  }
}

/** How to run our bin with the project's package manager. */
export function execPrefix(pm: ProjectInfo['packageManager']): string {
  return { npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn', bun: 'bunx' }[pm]
}
