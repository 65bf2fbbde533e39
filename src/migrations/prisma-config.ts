import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { InputError } from '../errors.js'

export const PRISMA_CONFIG_FILES = ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.cts', 'prisma.config.js', 'prisma.config.mjs', 'prisma.config.cjs']

export interface PrismaConfigPaths {
  configPath: string
  schema: string | null
  migrations: string | null
}

/**
 * Reads `schema` and `migrations.path` from a prisma.config.ts without executing it: a config is
 * user code that may read secrets or open connections, and we only need two paths. String literals
 * and `path.join(...)`/`join(...)` of literals are understood; anything else is an input error
 * asking for an explicit migrations folder.
 */
export function readPrismaConfig(dir: string): PrismaConfigPaths | null {
  const name = PRISMA_CONFIG_FILES.find((f) => existsSync(join(dir, f)))
  if (!name) return null
  const configPath = join(dir, name)
  const text = stripComments(readFileSync(configPath, 'utf8'))
  const base = dirname(configPath)
  const migrationsBlock = /\bmigrations\s*:\s*\{/.exec(text)
  let migrations: string | null = null
  if (migrationsBlock) {
    const rest = text.slice(migrationsBlock.index + migrationsBlock[0].length)
    const body = rest.slice(0, closingBrace(rest))
    migrations = pathValue(body, 'path', configPath, text, migrationsBlock.index)
  }
  // `schema:` at any depth other than inside `migrations: {...}`: the config's top-level schema path.
  const withoutMigrations = migrationsBlock
    ? text.slice(0, migrationsBlock.index) + text.slice(migrationsBlock.index + migrationsBlock[0].length + closingBrace(text.slice(migrationsBlock.index + migrationsBlock[0].length)))
    : text
  const schema = pathValue(withoutMigrations, 'schema', configPath, text, 0)
  return {
    configPath,
    schema: schema === null ? null : resolve(base, schema),
    migrations: migrations === null ? null : resolve(base, migrations),
  }
}

function pathValue(body: string, key: string, file: string, full: string, offset: number): string | null {
  const m = new RegExp(`\\b${key}\\s*:\\s*`).exec(body)
  if (!m) return null
  const value = body.slice(m.index + m[0].length)
  const literal = /^(['"`])([^'"`$]*)\1/.exec(value)
  if (literal) return literal[2]
  const joined = /^(?:path\s*\.\s*)?(?:join|resolve)\s*\(([^)]*)\)/.exec(value)
  if (joined) {
    const parts = joined[1].split(',').map((p) => p.trim()).filter((p) => p && p !== '__dirname' && p !== 'import.meta.dirname')
    const strings = parts.map((p) => /^(['"`])([^'"`$]*)\1$/.exec(p)?.[2])
    if (strings.every((s) => s !== undefined)) return join(...(strings as string[]))
  }
  const at = full.slice(offset).search(new RegExp(`\\b${key}\\s*:`))
  const line = full.slice(0, offset + Math.max(0, at)).split('\n').length
  throw new InputError('KDB_PRISMA_CONFIG_DYNAMIC', `${file}: \`${key}\` is not a plain path, so it cannot be read without running the config`, {
    file, line,
    hint: 'Pass the migrations folder explicitly (--migrations-dir), or write the path as a string literal.',
  })
}

function closingBrace(text: string): number {
  let depth = 1
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  return text.length
}

/** Drops // and /* *\/ comments, keeping string contents (a URL's `//` is not a comment). */
function stripComments(text: string): string {
  return text.replace(/("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (match, str: string | undefined) => str ?? match.replace(/[^\n]/g, ' '))
}
