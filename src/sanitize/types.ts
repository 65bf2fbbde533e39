import type { Params } from './strategies/strategy.js'

/** A rule as written: a strategy name, or `{ strategy, ...params }`. */
export type RuleSpec = string | ({ strategy: string } & Params)

/**
 * The rules file (`sanitize.yaml` / `.json`), or the same object in a TS config.
 * Every column of every table is either masked with a strategy or explicitly kept.
 * @example
 * export default defineSanitizeRules({ version: 1, tables: { users: { id: 'keep', email: 'email' } } })
 */
export interface SanitizeRulesConfig {
  version: 1
  /** `schema.table` (or `table` for public) → `'keep'` for the whole table, or column → rule. */
  tables: Record<string, 'keep' | Record<string, RuleSpec>>
  /** References the catalog does not know (no foreign key): `to` is masked, `from` follows it. */
  references?: { from: string; to: string }[]
}

/** Where a rule came from, for messages that point at the line to fix. */
export interface Origin {
  source: 'rules' | 'prisma' | 'foreign-key' | 'reference'
  file?: string
  line?: number
  column?: number
  /** For derived rules: the column followed (`public.users.email`). */
  via?: string
}

export interface ColumnRule {
  table: string
  column: string
  strategy: string
  params: Params
  origin: Origin
}

/** Rules read from a file and/or Prisma annotations, keyed `schema.table` → column → rule. */
export interface LoadedRules {
  tables: Map<string, { keepAll?: Origin; columns: Map<string, ColumnRule> }>
  references: { from: string; to: string; origin: Origin }[]
}

export interface Unclassified {
  table: string
  column: string
}

export interface StaleRule {
  table: string
  column: string | null
  origin: Origin
}

/** `users` → `public.users`; `app.users` stays. */
export function qualify(name: string): string {
  return name.includes('.') ? name : `public.${name}`
}

/** `public.users` → { schema, name }. */
export function splitQualified(q: string): { schema: string; name: string } {
  const i = q.indexOf('.')
  return { schema: q.slice(0, i), name: q.slice(i + 1) }
}
