import { readFileSync } from 'node:fs'
import { InputError } from '../errors.js'
import { emptyRules } from './rules.js'
import { paramsProblem, STRATEGIES } from './strategies/index.js'
import type { LoadedRules } from './types.js'

const typed = (v: string): unknown => (/^-?\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v)

interface DmmfField { name: string; dbName?: string | null; kind: string; documentation?: string }
interface DmmfModel { name: string; dbName?: string | null; schema?: string | null; fields: DmmfField[] }

/**
 * `@sanitize partial keep_last=4 char=*` → strategy + params (numbers and booleans typed); a list
 * parameter is written comma-separated (`@sanitize choice values=FR,DE,JP`).
 */
function parseAnnotation(text: string): { strategy: string; params: Record<string, unknown> } | null {
  const m = /@sanitize\s+([\w-]+)([^\n]*)/.exec(text)
  if (!m) return null
  const params: Record<string, unknown> = {}
  for (const kv of m[2].trim().split(/\s+/).filter(Boolean)) {
    const [k, ...rest] = kv.split('=')
    const v = rest.join('=')
    params[k] = STRATEGIES[m[1]]?.params[k]?.type === 'array' ? v.split(',').map(typed) : typed(v)
  }
  return { strategy: m[1], params }
}

/** The line of `field` inside `model Name {`, for messages. */
function lineOf(lines: string[], model: string, field: string): number | undefined {
  const start = lines.findIndex((l) => new RegExp(`^\\s*model\\s+${model}\\s*\\{`).test(l))
  if (start < 0) return undefined
  for (let i = start + 1; i < lines.length && !/^\s*}/.test(lines[i]); i++)
    if (new RegExp(`^\\s*${field}\\s`).test(lines[i])) return i + 1
  return start + 1
}

/**
 * `/// @sanitize <strategy> [k=v ...]` doc comments of a schema.prisma, read offline through
 * getDMMF, with @map / @@map / @@schema resolved to the real table and column names.
 */
export async function readPrismaAnnotations(schemaPath: string): Promise<LoadedRules> {
  let datamodel: string
  try {
    datamodel = readFileSync(schemaPath, 'utf8')
  } catch (cause) {
    throw new InputError('KDB_SANITIZE_PRISMA_UNREADABLE', `cannot read Prisma schema ${schemaPath}`, { cause, hint: 'Pass --prisma <path to schema.prisma>.' })
  }
  const { default: internals } = (await import('@prisma/internals')) as unknown as { default: { getDMMF(o: { datamodel: string }): Promise<{ datamodel: { models: DmmfModel[] } }> } }
  let dmmf
  try {
    dmmf = await internals.getDMMF({ datamodel })
  } catch (cause) {
    throw new InputError('KDB_SANITIZE_PRISMA_INVALID', `Prisma could not read ${schemaPath}: ${(cause as Error).message.split('\n')[0]}`, { cause, file: schemaPath, hint: 'Run `prisma validate` and fix the schema.' })
  }
  const lines = datamodel.split('\n')
  const rules = emptyRules()
  for (const model of dmmf.datamodel.models) {
    const table = `${model.schema ?? 'public'}.${model.dbName ?? model.name}`
    for (const field of model.fields) {
      if (field.kind === 'object' || !field.documentation) continue
      const parsed = parseAnnotation(field.documentation)
      if (!parsed) continue
      const line = lineOf(lines, model.name, field.name)
      const strategy = STRATEGIES[parsed.strategy]
      const fail = (message: string, hint: string) => new InputError('KDB_SANITIZE_PRISMA_ANNOTATION', message, { file: schemaPath, line, hint })
      if (!strategy) throw fail(`${model.name}.${field.name}: unknown strategy "${parsed.strategy}"`, `Use one of: ${Object.keys(STRATEGIES).join(', ')}.`)
      const bad = paramsProblem(strategy, parsed.params)
      if (bad) throw fail(`${model.name}.${field.name} (${parsed.strategy}): ${bad}`, 'Write parameters as key=value after the strategy name.')
      const entry = rules.tables.get(table) ?? { columns: new Map() }
      rules.tables.set(table, entry)
      const column = field.dbName ?? field.name
      // `names_of=contactId` and `by=userId` name a field of the model: the rule needs its column (@map).
      for (const key of ['names_of', 'by']) {
        const named = model.fields.find((f) => f.kind !== 'object' && f.name === parsed.params[key])
        if (named) parsed.params[key] = named.dbName ?? named.name
      }
      entry.columns.set(column, { table, column, strategy: parsed.strategy, params: parsed.params, origin: { source: 'prisma', file: schemaPath, line } })
    }
  }
  return rules
}
