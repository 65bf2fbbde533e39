import { readFileSync } from 'node:fs'
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml'
import { InputError } from '../errors.js'
import { paramsProblem, STRATEGIES } from './strategies/index.js'
import { qualify, type ColumnRule, type LoadedRules, type Origin, type RuleSpec, type SanitizeRulesConfig } from './types.js'

/** Typed identity for a TS rules config: `export default defineSanitizeRules({...})`. */
export function defineSanitizeRules(config: SanitizeRulesConfig): SanitizeRulesConfig {
  return config
}

export function emptyRules(): LoadedRules {
  return { tables: new Map(), references: [] }
}

type Locate = (path: (string | number)[]) => { line?: number; column?: number }

/** Reads a YAML or JSON rules file; every problem names the file and line. */
export function loadRulesFile(file: string): LoadedRules {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new InputError('KDB_SANITIZE_RULES_UNREADABLE', `cannot read rules file ${file}`, { cause, hint: 'Pass --rules <path to sanitize.yaml>.' })
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines })
  if (doc.errors.length) {
    const e = doc.errors[0]
    const pos = lines.linePos(e.pos[0])
    throw new InputError('KDB_SANITIZE_RULES_SYNTAX', e.message.split('\n')[0], { file, line: pos.line, column: pos.col, hint: 'Fix the YAML/JSON syntax.' })
  }
  const locate: Locate = (path) => {
    const node = doc.getIn(path, true) as Node | undefined
    const range = node?.range
    if (!range) return {}
    const pos = lines.linePos(range[0])
    return { line: pos.line, column: pos.col }
  }
  // A key's own position reads better than its value's for "unknown column" messages.
  const locateKey = (path: (string | number)[]) => {
    const parent = doc.getIn(path.slice(0, -1), true)
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1])
      const range = (pair?.key as Node | undefined)?.range
      if (range) {
        const pos = lines.linePos(range[0])
        return { line: pos.line, column: pos.col }
      }
    }
    return locate(path)
  }
  return rulesFromConfig(doc.toJS() as SanitizeRulesConfig, file, locateKey)
}

/** Validates a rules object (from a file or a TS config) and indexes it by table and column. */
export function rulesFromConfig(config: SanitizeRulesConfig, file = '<config>', locate: Locate = () => ({})): LoadedRules {
  const fail = (path: (string | number)[], message: string, hint: string): never => {
    throw new InputError('KDB_SANITIZE_RULES_INVALID', message, { file, ...locate(path), hint })
  }
  if (!config || typeof config !== 'object') fail([], 'the rules file is empty', 'Start from `koinonia-db sanitize suggest`.')
  if (config.version !== 1) fail(['version'], `unsupported rules version ${JSON.stringify(config.version)}`, 'Set `version: 1` at the top.')
  // $schema: an editor's pointer to the rules file's JSON Schema (rules-schema.ts).
  const known = new Set(['$schema', 'version', 'tables', 'references'])
  for (const key of Object.keys(config)) if (!known.has(key)) fail([key], `unknown top-level key "${key}"`, 'Allowed: version, tables, references.')
  if (!config.tables || typeof config.tables !== 'object') fail(['tables'], '`tables` is missing', 'List every table: `tables: { users: { email: email } }`.')
  const rules = emptyRules()
  for (const [tableName, spec] of Object.entries(config.tables)) {
    const table = qualify(tableName)
    const origin = (path: (string | number)[]): Origin => ({ source: 'rules', file, ...locate(path) })
    if (rules.tables.has(table)) fail(['tables', tableName], `table ${table} is listed twice`, 'Merge the two entries.')
    const entry: { keepAll?: Origin; columns: Map<string, ColumnRule> } = { columns: new Map() }
    rules.tables.set(table, entry)
    if (spec === 'keep') {
      entry.keepAll = origin(['tables', tableName])
      continue
    }
    if (!spec || typeof spec !== 'object' || Array.isArray(spec))
      fail(['tables', tableName], `table ${table}: expected 'keep' or a map of column → rule`, 'Example: `users: { email: email, id: keep }`.')
    for (const [column, rule] of Object.entries(spec)) {
      const path = ['tables', tableName, column]
      const parsed = parseRule(rule)
      if (typeof parsed === 'string') fail(path, `${table}.${column}: ${parsed}`, 'Write a strategy name or { strategy: <name>, ...parameters }.')
      const { strategy, params } = parsed as { strategy: string; params: Record<string, unknown> }
      const s = STRATEGIES[strategy]
      if (!s) fail(path, `${table}.${column}: unknown strategy "${strategy}"`, `Use one of: ${Object.keys(STRATEGIES).join(', ')}.`)
      const bad = paramsProblem(s, params)
      if (bad) fail(path, `${table}.${column} (${strategy}): ${bad}`, `See docs/sanitize.md for the ${strategy} parameters.`)
      entry.columns.set(column, { table, column, strategy, params, origin: origin(path) })
    }
  }
  for (const [i, ref] of (config.references ?? []).entries()) {
    if (!ref || typeof ref.from !== 'string' || typeof ref.to !== 'string' || ref.from.split('.').length < 2 || ref.to.split('.').length < 2)
      fail(['references', i], 'a reference needs `from: table.column` and `to: table.column`', 'Example: { from: messages.sender_phone, to: contacts.phone }.')
    const unknown = Object.keys(ref).find((key) => key !== 'from' && key !== 'to')
    if (unknown) fail(['references', i, unknown], `a reference has from and to, not "${unknown}"`, 'Example: { from: messages.sender_phone, to: contacts.phone }.')
    rules.references.push({ from: qualifyColumn(ref.from), to: qualifyColumn(ref.to), origin: { source: 'rules', file, ...locate(['references', i]) } })
  }
  return rules
}

/** `users.email` → `public.users.email`. */
export function qualifyColumn(ref: string): string {
  const parts = ref.split('.')
  return parts.length === 2 ? `public.${ref}` : ref
}

export function parseRule(rule: RuleSpec | unknown): { strategy: string; params: Record<string, unknown> } | string {
  if (typeof rule === 'string') return { strategy: rule, params: {} }
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return `expected a strategy name or an object, got ${JSON.stringify(rule)}`
  const { strategy, ...params } = rule as Record<string, unknown>
  if (typeof strategy !== 'string') return 'the rule object needs a `strategy`'
  return { strategy, params }
}

/** Merges a second source into the first; the same column with different rules is an error naming both. */
export function mergeRules(into: LoadedRules, from: LoadedRules): LoadedRules {
  const where = (o: Origin) => [o.file, o.line].filter((x) => x !== undefined).join(':') || o.source
  for (const [table, entry] of from.tables) {
    const target: { keepAll?: Origin; columns: Map<string, ColumnRule> } = into.tables.get(table) ?? { columns: new Map() }
    into.tables.set(table, target)
    target.keepAll ??= entry.keepAll
    for (const [column, rule] of entry.columns) {
      const existing = target.columns.get(column)
      if (existing && (existing.strategy !== rule.strategy || JSON.stringify(existing.params) !== JSON.stringify(rule.params)))
        throw new InputError('KDB_SANITIZE_RULE_CONFLICT', `${table}.${column} is "${existing.strategy}" in ${where(existing.origin)} but "${rule.strategy}" in ${where(rule.origin)}`, {
          file: rule.origin.file,
          line: rule.origin.line,
          hint: 'Keep one rule for the column: remove it from the rules file or from the Prisma schema.',
        })
      if (!existing) target.columns.set(column, rule)
    }
  }
  into.references.push(...from.references)
  return into
}
