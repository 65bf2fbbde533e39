import type pg from 'pg'
import { EnvironmentError, UsageError } from '../errors.js'
import { newClient } from '../postgres/client.js'
import { quoteIdent } from '../postgres/sql.js'
import { readCatalog, type Catalog, type CatalogForeignKey, type CatalogTable } from './catalog.js'
import { readPrismaAnnotations } from './prisma-annotations.js'
import { emptyRules, loadRulesFile, mergeRules, rulesFromConfig } from './rules.js'
import { STRATEGIES } from './strategies/index.js'
import { literalProblems } from './literal-casts.js'
import { personLink, personTables, type PersonLink } from './person-names.js'
import { maskedJsonPaths } from './strategies/jsonb-paths.js'
import type { ColumnRule, LoadedRules, Origin, SanitizeRulesConfig, StaleRule, Unclassified } from './types.js'

export interface RulesSource {
  /** A rules file path (YAML/JSON), or the rules object of a TS config. */
  rules?: string | SanitizeRulesConfig
  /** A schema.prisma whose `/// @sanitize` comments add rules (`--prisma`). */
  prisma?: string
}

export interface PlannedColumn {
  column: string
  strategy: string
  params: Record<string, unknown>
  origin: Origin
  /** Expression computing the masked value, cast to the column type. */
  sql: string
  /** The column's type and non-default collation, repeated in ALTER COLUMN … TYPE. */
  sqlType: string
  collation: string | null
  fingerprint: 'value' | 'phone' | 'text' | 'json' | 'none'
  jsonPaths: string[]
  /** scrub's names_of: the person the text is about (person-names.ts). */
  person?: PersonLink
}

export interface PlannedTable {
  table: string
  masked: PlannedColumn[]
  kept: string[]
  /** Kept columns the rules exempt from the leak scan (`keep` with `scan: false`: public data such as an author's name). */
  unscanned?: string[]
  /** rewrite: ALTER COLUMN TYPE … USING (a heap rewrite, identity kept); update: a set-based UPDATE
   * when a view, rule, policy or generated column pins a masked column; none: nothing to mask. */
  method: 'rewrite' | 'update' | 'none'
  /** Unique indexes touching masked columns, checked for collisions before writing. */
  uniqueChecks: { index: string; columns: string[] | null }[]
  primaryKey: string[]
  rowsEstimate: number
  bytes: number
}

export interface PlanProblem {
  code: string
  table: string
  column?: string
  message: string
  origin?: Origin
}

export interface SanitizePlan {
  tables: PlannedTable[]
  /** Tables rewritten in one transaction because a masked foreign key links them. */
  groups: string[][]
  /** Foreign keys over masked columns: dropped and re-added (validated) around their group. */
  foreignKeys: CatalogForeignKey[]
  unclassified: Unclassified[]
  stale: StaleRule[]
  problems: PlanProblem[]
}

/** Reads the rules file and/or the Prisma annotations and merges them; conflicts are errors. */
export async function loadRules(source: RulesSource): Promise<LoadedRules> {
  if (!source.rules && !source.prisma)
    throw new UsageError('KDB_SANITIZE_NO_RULES', 'no rules given', { hint: 'Pass --rules sanitize.yaml and/or --prisma prisma/schema.prisma (start with `sanitize suggest`).' })
  const rules = !source.rules ? emptyRules() : typeof source.rules === 'string' ? loadRulesFile(source.rules) : rulesFromConfig(source.rules)
  return source.prisma ? mergeRules(rules, await readPrismaAnnotations(source.prisma)) : rules
}

/** Adds the rules implied by foreign keys and declared references (the referencing side follows). */
function followReferences(catalog: Catalog, rules: LoadedRules, problems: PlanProblem[]): Map<string, ColumnRule> {
  const effective = new Map<string, ColumnRule>()
  for (const [table, entry] of rules.tables) for (const [column, rule] of entry.columns) effective.set(`${table}.${column}`, rule)
  const links: { from: string; to: string; origin: Origin }[] = rules.references.map((r) => ({ ...r }))
  for (const fk of catalog.foreignKeys)
    fk.columns.forEach((c, i) => links.push({ from: `${fk.table}.${c}`, to: `${fk.refTable}.${fk.refColumns[i]}`, origin: { source: 'foreign-key', via: fk.name } }))
  const masks = (r?: ColumnRule) => r !== undefined && r.strategy !== 'keep'
  for (let changed = true; changed; ) {
    changed = false
    for (const link of links) {
      const parent = effective.get(link.to)
      const child = effective.get(link.from)
      if (!masks(parent) && !masks(child)) continue
      const [table, column] = [link.from.slice(0, link.from.lastIndexOf('.')), link.from.slice(link.from.lastIndexOf('.') + 1)]
      if (masks(child) && !masks(parent)) {
        if (link.origin.source === 'foreign-key' && !parent)
          problems.push({ code: 'KDB_SANITIZE_FK_MISMATCH', table, column, origin: child!.origin, message: `${link.from} is masked but the column it references, ${link.to}, is not: the foreign key ${link.origin.via} would break` })
        else if (link.origin.source === 'foreign-key')
          problems.push({ code: 'KDB_SANITIZE_FK_MISMATCH', table, column, origin: child!.origin, message: `${link.from} is masked but ${link.to} is kept: the foreign key ${link.origin.via} would break` })
        continue
      }
      if (!child) {
        effective.set(link.from, { table, column, strategy: parent!.strategy, params: parent!.params, origin: { source: link.origin.source === 'foreign-key' ? 'foreign-key' : 'reference', via: link.to } })
        changed = true
      } else if (child.strategy !== parent!.strategy || JSON.stringify(child.params) !== JSON.stringify(parent!.params)) {
        problems.push({ code: 'KDB_SANITIZE_FK_MISMATCH', table, column, origin: child.origin, message: `${link.from} must follow ${link.to} (${parent!.strategy}) but its rule is ${child.strategy}` })
      }
    }
  }
  return effective
}

/** Pure planning over a catalog: what each column becomes, coverage, unique safety, groups. */
export function buildPlan(catalog: Catalog, rules: LoadedRules): SanitizePlan {
  const problems: PlanProblem[] = []
  const effective = followReferences(catalog, rules, problems)
  const unclassified: Unclassified[] = []
  const stale: StaleRule[] = []
  for (const [table, entry] of rules.tables) {
    const t = catalog.tables.get(table)
    if (!t) {
      stale.push({ table, column: null, origin: entry.keepAll ?? [...entry.columns.values()][0]?.origin ?? { source: 'rules' } })
      continue
    }
    for (const [column, rule] of entry.columns) if (!t.columns.some((c) => c.name === column)) stale.push({ table, column, origin: rule.origin })
  }
  const tables: PlannedTable[] = []
  for (const t of catalog.tables.values()) {
    const keepAll = rules.tables.get(t.qualified)?.keepAll
    const planned: PlannedTable = { table: t.qualified, masked: [], kept: [], method: 'none', uniqueChecks: [], primaryKey: t.primaryKey, rowsEstimate: t.rowsEstimate, bytes: t.bytes }
    for (const c of t.columns) {
      const rule = effective.get(`${t.qualified}.${c.name}`)
      if (!rule && !keepAll && !c.generated) unclassified.push({ table: t.qualified, column: c.name })
      if (!rule || rule.strategy === 'keep') {
        planned.kept.push(c.name)
        if (rule?.params.scan === false) (planned.unscanned ??= []).push(c.name)
        continue
      }
      const strategy = STRATEGIES[rule.strategy]
      const problem = (code: string, message: string) => problems.push({ code, table: t.qualified, column: c.name, origin: rule.origin, message: `${t.qualified}.${c.name}: ${message}` })
      if (c.generated) { problem('KDB_SANITIZE_GENERATED', 'is a generated column; Postgres recomputes it, mask the columns it is computed from'); continue }
      const rejected = strategy.rejects(c.type)
      if (rejected) { problem('KDB_SANITIZE_TYPE', `${rule.strategy} ${rejected}`); continue }
      const by = rule.params.by
      if (typeof by === 'string' && !t.columns.some((x) => x.name === by)) { problem('KDB_SANITIZE_BY', `by names ${by}, which is no column of ${t.qualified}`); continue }
      const person = personLink(catalog, t, rule.params, rules.references)
      if (typeof person === 'string') { problem('KDB_SANITIZE_NAMES_OF', person); continue }
      const expr = strategy.sql(quoteIdent(c.name), person ? { ...rule.params, names_of_table: person.refTable } : rule.params, c.type)
      if (expr === null) { planned.kept.push(c.name); continue }
      planned.masked.push({
        column: c.name, strategy: rule.strategy, params: rule.params, origin: rule.origin,
        sql: `(${expr})::${c.type.sqlType}`, sqlType: c.type.sqlType, collation: c.type.collation ?? null, fingerprint: strategy.fingerprint,
        jsonPaths: strategy.fingerprint === 'json' ? maskedJsonPaths(rule.params) : [], ...(person ? { person } : {}),
      })
    }
    checkUniques(t, planned, problems)
    if (planned.masked.length) planned.method = planned.masked.some((m) => t.pinned.has(m.column)) ? 'update' : 'rewrite'
    tables.push(planned)
  }
  for (const p of personTables({ tables }).problems)
    problems.push({ code: 'KDB_SANITIZE_NAMES_OF', ...p, origin: tables.find((t) => t.table === p.table)!.masked.find((m) => m.column === p.column)!.origin })
  const maskedCols = new Set(tables.flatMap((t) => t.masked.map((m) => `${t.table}.${m.column}`)))
  const foreignKeys = catalog.foreignKeys.filter((fk) => fk.columns.some((c) => maskedCols.has(`${fk.table}.${c}`)) || fk.refColumns.some((c) => maskedCols.has(`${fk.refTable}.${c}`)))
  return { tables, groups: groupTables(tables, foreignKeys), foreignKeys, unclassified, stale, problems }
}

function checkUniques(t: CatalogTable, planned: PlannedTable, problems: PlanProblem[]): void {
  const byColumn = new Map(planned.masked.map((m) => [m.column, m]))
  for (const u of t.uniques) {
    if (u.columns === null) {
      // Expression indexes are rebuilt inside the table's transaction: a collision rolls it back.
      if (planned.masked.length) planned.uniqueChecks.push({ index: u.name, columns: null })
      continue
    }
    const masked = u.columns.filter((c) => byColumn.has(c))
    if (!masked.length) continue
    for (const c of masked) {
      const m = byColumn.get(c)!
      if (!STRATEGIES[m.strategy].injective && m.strategy !== 'null')
        problems.push({ code: 'KDB_SANITIZE_NOT_INJECTIVE', table: t.qualified, column: c, origin: m.origin, message: `${t.qualified}.${c} is in unique index ${u.name} but ${m.strategy} can map two values to one; use email or hash` })
    }
    planned.uniqueChecks.push({ index: u.name, columns: u.columns })
  }
}

/** Union of tables linked by a foreign key over masked columns: each union is one transaction. */
function groupTables(tables: PlannedTable[], fks: CatalogForeignKey[]): string[][] {
  const parent = new Map(tables.map((t) => [t.table, t.table]))
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!))
  for (const fk of fks) parent.set(find(fk.table), find(fk.refTable))
  const groups = new Map<string, string[]>()
  for (const t of tables) {
    if (t.method === 'none' && !fks.some((f) => f.table === t.table || f.refTable === t.table)) continue
    const root = find(t.table)
    groups.set(root, [...(groups.get(root) ?? []), t.table])
  }
  return [...groups.values()]
}

export interface PlanSanitizeOptions extends RulesSource {
  /** The database to plan against (the restored copy; `--target`). */
  target: string
}

/**
 * The plan for the database `client` is connected to: buildPlan over its catalog, and the values the
 * rules give as they are cast to their columns there (literalProblems), before anything is masked.
 */
export async function planOn(client: pg.Client, rules: LoadedRules): Promise<SanitizePlan> {
  const plan = buildPlan(await readCatalog(client), rules)
  plan.problems.push(...await literalProblems(client, plan))
  return plan
}

/**
 * Reads the target's catalog and the rules and returns what would be masked, and any problem.
 * @example
 * const plan = await planSanitize({ target: url, rules: 'sanitize.yaml' })
 * if (plan.problems.length || plan.unclassified.length) console.error(plan.problems)
 */
export async function planSanitize(options: PlanSanitizeOptions): Promise<SanitizePlan> {
  const rules = await loadRules(options)
  const client = await connectTarget(options.target)
  try {
    return await planOn(client, rules)
  } finally {
    await client.end()
  }
}

/** A connected client of the target (through newClient, like every client we open), or a clear error. */
export async function connectTarget(url: string): Promise<pg.Client> {
  // Without a URL, pg would connect to PGHOST/PGDATABASE or localhost: never mask a database nobody named.
  if (typeof url !== 'string' || !url)
    throw new UsageError('KDB_SANITIZE_NO_TARGET', 'no target database given', { hint: 'Pass target: "postgres://…" (the option was called url before).' })
  const client = newClient({ connectionString: url })
  try {
    await client.connect()
    return client
  } catch (cause) {
    throw new EnvironmentError('KDB_SANITIZE_CONNECT', `cannot connect to ${redactUrl(url)}: ${(cause as Error).message}`, { cause, hint: 'Check the URL, that the server runs and that the user may connect.' })
  }
}

/** A URL without its password, for messages and reports. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '<url>'
  }
}
