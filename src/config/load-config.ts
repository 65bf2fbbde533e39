import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Document, LineCounter } from 'yaml'
import { UsageError } from '../errors.js'
import { ConfigProblem, describeValue } from './config-key.js'
import { CONFIG_KEYS, type KoinoniaConfig } from './keys.js'

/** Looked for in this order in each folder from the working directory upwards. */
export const CONFIG_FILE_NAMES = [
  'koinonia.config.ts', 'koinonia.config.mts', 'koinonia.config.mjs', 'koinonia.config.js',
  'koinonia.config.json', 'koinonia.config.yaml', 'koinonia.config.yml',
] as const

const MODULE_CONFIG = /\.(m?ts|m?js)$/

export interface LoadConfigOptions {
  /** Where the search upwards starts. Default: process.cwd(). */
  cwd?: string
  /** An explicit config file (`--config`); it must exist. */
  path?: string
}

export interface LoadedConfig {
  /** Absolute path of the file read, or null when none was found. */
  path: string | null
  config: KoinoniaConfig
}

/** The nearest koinonia.config.* from `cwd` upwards; two of them in one folder is an error. */
export function findConfigFile(cwd: string): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = CONFIG_FILE_NAMES.map((n) => join(dir, n)).filter((p) => existsSync(p))
    if (found.length > 1)
      throw new UsageError('KDB_CONFIG_AMBIGUOUS', `more than one config file in ${dir}: ${found.map((p) => p.slice(dir.length + 1)).join(', ')}`, {
        hint: 'Keep one koinonia.config file per folder.',
      })
    if (found.length === 1) return found[0]
    if (dirname(dir) === dir) return null
  }
}

/**
 * Reads and validates the project's config. Unknown keys and values out of range are errors that
 * name the file, the line and what is allowed.
 * @example
 * const { config } = await loadConfig({ cwd: process.cwd() })
 * await lintFiles(['prisma/migrations'], { pgVersion: config.pgVersion })
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd()
  const path = options.path ? resolve(cwd, options.path) : findConfigFile(cwd)
  if (!path) return { path: null, config: {} }
  if (MODULE_CONFIG.test(path)) return { path, config: await validate(await importConfig(path), path, null) }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError('KDB_CONFIG_UNREADABLE', code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code ?? error})`, {
      file: path, cause: error, hint: 'Check the --config path.',
    })
  }
  return { path, config: await parseConfig(text, path) }
}

/**
 * Validates the text of a config file; `path` decides JSON or YAML and is used in errors. The YAML
 * library is loaded only for YAML files and for error positions: it is a fifth of a pre-commit run.
 */
export async function parseConfig(text: string, path: string): Promise<KoinoniaConfig> {
  const json = path.endsWith('.json')
  let data: unknown
  let located: Promise<{ doc: Document; lines: LineCounter }> | undefined
  const locateIn = () => (located ??= yamlDocument(text))
  if (json) {
    data = parseJson(text, path)
  } else {
    const { doc, lines } = await locateIn()
    if (doc.errors.length > 0) {
      const e = doc.errors[0]
      throw invalid(path, e.linePos?.[0] ?? lines.linePos(e.pos[0]), e.message.split('\n')[0], 'Fix the YAML syntax.')
    }
    data = doc.toJS()
  }
  return validate(data, path, locateIn)
}

type Located = { doc: Document; lines: LineCounter }

/**
 * Checks every key; `locateIn` gives line numbers for JSON and YAML (a TS config has none). It is
 * called only for an error: the YAML library is a fifth of a pre-commit run.
 */
async function validate(data: unknown, path: string, locateIn: (() => Promise<Located>) | null): Promise<KoinoniaConfig> {
  const where = async (keyPath: string[], keyItself: boolean) => (locateIn ? locate(await locateIn(), keyPath, keyItself) : undefined)
  data ??= {}
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw invalid(path, { line: 1, col: 1 }, `expected an object of settings, got ${describeValue(data)}`, `Allowed keys: ${allowedKeys()}.`)
  const config: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    // An editor's pointer to the file's JSON Schema (schema/koinonia-config.schema.json), not a setting.
    if (key === '$schema' && typeof value === 'string') continue
    const spec = (CONFIG_KEYS as Record<string, (typeof CONFIG_KEYS)[keyof typeof CONFIG_KEYS]>)[key]
    if (!spec) throw invalid(path, await where([key], true), `unknown key "${key}"`, `Allowed keys: ${allowedKeys()}.`)
    try {
      config[key] = spec.parse(value, key)
    } catch (error) {
      if (!(error instanceof ConfigProblem)) throw error
      const at = error.path.join('.')
      throw invalid(path, await where(error.path, false), `${at}: ${error.message}`, `${at} must be ${error.allowed ?? spec.allowed}.`)
    }
  }
  return config as KoinoniaConfig
}

/** koinonia.config.ts / .mjs / .js: its default export (TypeScript is compiled on the fly by jiti). */
async function importConfig(path: string): Promise<unknown> {
  try {
    const { createJiti } = await import('jiti')
    const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false })
    return await jiti.import(path, { default: true })
  } catch (error) {
    throw new UsageError('KDB_CONFIG_INVALID', `cannot load config: ${(error as Error).message.split('\n')[0]}`, {
      file: path, cause: error, hint: 'The file must `export default defineConfig({ ... })` and run without errors.',
    })
  }
}

function allowedKeys(): string {
  return Object.keys(CONFIG_KEYS).join(', ')
}

function invalid(file: string, pos: { line: number; col: number } | undefined, message: string, hint: string): UsageError {
  return new UsageError('KDB_CONFIG_INVALID', message, { file, line: pos?.line, column: pos?.col, hint })
}

/** Line and column of a key (or of its value) in the file, for error messages. */
async function yamlDocument(text: string): Promise<{ doc: Document; lines: LineCounter }> {
  const { LineCounter, parseDocument } = await import('yaml')
  const lines = new LineCounter()
  // JSON is YAML too: the same document gives positions for both.
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines }
}

function locate({ doc, lines }: { doc: Document; lines: LineCounter }, path: string[], keyItself: boolean) {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents
  const items = (parent as { items?: Array<{ key?: { value?: unknown; range?: number[] }; value?: { range?: number[] } }> })?.items
  const pair = items?.find((p) => p.key?.value === path[path.length - 1])
  const range = (keyItself ? pair?.key?.range : pair?.value?.range ?? pair?.key?.range)
  return range ? lines.linePos(range[0]) : undefined
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const at = /position (\d+)/.exec(message)
    let pos: { line: number; col: number } | undefined
    if (at) {
      const offset = Number(at[1])
      const before = text.slice(0, offset).split('\n')
      pos = { line: before.length, col: before[before.length - 1].length + 1 }
    }
    throw invalid(path, pos, `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, 'Fix the JSON syntax (no comments or trailing commas in .json; use .yaml for comments).')
  }
}
