import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Document, parseDocument } from 'yaml'
import { detectProject, execPrefix, type ProjectInfo } from './detect-project.js'
import { configFile, gitHook, HOOK_COMMAND, huskyLine, workflow } from './templates.js'

export interface InitOptions {
  cwd: string
  /** Overwrite files that exist with other content. */
  force?: boolean
  /** Target Postgres major version written to the config. Default 15. */
  pgVersion?: number
}

export interface InitFile {
  path: string
  action: 'created' | 'updated' | 'unchanged' | 'skipped'
  /** Why a file was skipped. */
  reason?: string
}

export interface InitResult {
  project: ProjectInfo
  files: InitFile[]
}

/**
 * Writes the config, a pre-commit hook (husky, lefthook or a plain git hook) and a GitHub Actions workflow.
 * Idempotent: a second run changes nothing; a file with other content is left alone unless `force`.
 * @example
 * const { files } = await initProject({ cwd: process.cwd() })
 */
export async function initProject(options: InitOptions): Promise<InitResult> {
  const project = detectProject(options.cwd)
  const files: InitFile[] = []
  const put = (rel: string, content: string, mode?: number) => files.push(writeIfChanged(join(options.cwd, rel), content, options.force ?? false, mode))

  put('koinonia.config.json', configFile(project, options.pgVersion ?? 15))
  if (project.hooks === 'husky') files.push(addHuskyLine(join(options.cwd, '.husky', 'pre-commit'), project))
  else if (project.hooks === 'lefthook') files.push(addLefthookCommand(options.cwd, project))
  else if (project.isGitRepo) put(join('.git', 'hooks', 'pre-commit'), gitHook(project), 0o755)
  else files.push({ path: join(options.cwd, '.git', 'hooks', 'pre-commit'), action: 'skipped', reason: 'not a git repository' })
  put(join('.github', 'workflows', 'koinonia-db.yml'), workflow(project))
  return { project, files }
}

function writeIfChanged(path: string, content: string, force: boolean, mode?: number): InitFile {
  if (existsSync(path)) {
    const current = readFileSync(path, 'utf8')
    if (current === content) return { path, action: 'unchanged' }
    if (!force) return { path, action: 'skipped', reason: 'exists with other content (use --force to overwrite)' }
    writeFileSync(path, content)
    return { path, action: 'updated' }
  }
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
  if (mode) chmodSync(path, mode)
  return { path, action: 'created' }
}

/** Appends our line to husky's pre-commit: other hooks in it keep running. */
function addHuskyLine(path: string, project: ProjectInfo): InitFile {
  if (!existsSync(path)) return writeIfChanged(path, huskyLine(project), false, 0o755)
  const current = readFileSync(path, 'utf8')
  if (current.includes(HOOK_COMMAND)) return { path, action: 'unchanged' }
  writeFileSync(path, `${current.replace(/\n?$/, '\n')}${huskyLine(project)}`)
  return { path, action: 'updated' }
}

function addLefthookCommand(root: string, project: ProjectInfo): InitFile {
  const path = ['lefthook.yml', 'lefthook.yaml'].map((f) => join(root, f)).find(existsSync) ?? join(root, 'lefthook.yml')
  const source = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const doc = source.trim() ? parseDocument(source) : new Document({})
  const run = `${execPrefix(project.packageManager)} ${HOOK_COMMAND}`
  if (doc.getIn(['pre-commit', 'commands', 'koinonia-db', 'run']) === run) return { path, action: 'unchanged' }
  doc.setIn(['pre-commit', 'commands', 'koinonia-db'], doc.createNode({ glob: `${project.migrationsDir}/**/*.sql`, run }))
  const existed = existsSync(path)
  writeFileSync(path, doc.toString())
  return { path, action: existed ? 'updated' : 'created' }
}
