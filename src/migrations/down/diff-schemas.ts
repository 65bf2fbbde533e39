import { quoteIdent, quoteLiteral } from '../../postgres/sql.js'
import type { ColumnDescription, SchemaDescription } from './introspect-schema.js'

export interface SchemaDiff {
  /** Statements that take `from` to `to`, in an order Postgres accepts. */
  statements: string[]
  /** What the statements cannot give back (data), in Prisma's warning style. */
  warnings: string[]
}

type Keyed = { key: string }
const byKey = <T extends Keyed>(items: T[]) => new Map(items.map((i) => [i.key, i]))
const onlyIn = <T extends Keyed>(a: T[], b: T[]) => { const keys = byKey(b); return a.filter((i) => !keys.has(i.key)) }
const changed = <T extends Keyed>(a: T[], b: T[], same: (x: T, y: T) => boolean) => {
  const keys = byKey(b)
  return a.filter((i) => keys.has(i.key) && !same(i, keys.get(i.key)!))
}
const sameDef = (x: { definition: string }, y: { definition: string }) => x.definition === y.definition

/**
 * DDL that turns the schema `from` into the schema `to` (for a down script: from = after the
 * migration, to = before it). Drops go first, in dependency order (views, triggers, foreign keys,
 * indexes, constraints, tables, ...), then creations in the reverse order.
 */
export function diffSchemas(from: SchemaDescription, to: SchemaDescription): SchemaDiff {
  const out: string[] = []
  const warnings: string[] = []
  // A column whose type changes cannot keep a foreign key on either side: those are dropped and re-added.
  const retyped = retypedTables(from, to)
  const touchesRetyped = (c: { table: string; definition: string }) =>
    retyped.has(c.table) || [...retyped].some((t) => c.definition.includes(`REFERENCES ${t}(`))
  const fks = (d: SchemaDescription) => d.constraints.filter((c) => c.type === 'f')
  const sameFk = (x: { table: string; definition: string }, y: { definition: string }) => x.definition === y.definition && !touchesRetyped(x)
  const otherConstraints = (d: SchemaDescription) => d.constraints.filter((c) => c.type !== 'f')

  // 1. Drop what depends on tables and columns. DROP TABLE takes a table's own indexes, constraints and
  // triggers with it; only foreign keys between dropped tables must go first.
  const dropped = new Set(onlyIn(from.tables, to.tables).map((t) => t.key))
  const kept = <T extends { table: string }>(items: T[]) => items.filter((i) => !dropped.has(i.table))
  for (const v of [...onlyIn(from.views, to.views), ...changed(from.views, to.views, sameDef)])
    out.push(`DROP ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.key}`)
  for (const t of kept([...onlyIn(from.triggers, to.triggers), ...changed(from.triggers, to.triggers, sameDef)]))
    out.push(`DROP TRIGGER ${quoteIdent(t.name)} ON ${t.table}`)
  for (const c of [...onlyIn(fks(from), fks(to)), ...changed(fks(from), fks(to), sameFk)])
    out.push(`ALTER TABLE ${c.table} DROP CONSTRAINT ${quoteIdent(c.name)}`)
  for (const i of kept([...onlyIn(from.indexes, to.indexes), ...changed(from.indexes, to.indexes, sameDef)]))
    out.push(`DROP INDEX ${qualifiedIndex(i.table, i.name)}`)
  for (const c of kept([...onlyIn(otherConstraints(from), otherConstraints(to)), ...changed(otherConstraints(from), otherConstraints(to), sameDef)]))
    out.push(`ALTER TABLE ${c.table} DROP CONSTRAINT ${quoteIdent(c.name)}`)
  for (const t of onlyIn(from.tables, to.tables)) {
    out.push(`DROP TABLE ${t.key}`)
    warnings.push(`The table ${t.key} is dropped: all the data in it will be lost.`)
  }

  // 2. Schemas, extensions, types and sequences the tables need.
  for (const s of to.schemas.filter((s) => !from.schemas.includes(s))) out.push(`CREATE SCHEMA ${quoteIdent(s)}`)
  for (const e of to.extensions.filter((e) => !from.extensions.some((f) => f.name === e.name)))
    out.push(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`)
  for (const e of onlyIn(to.enums, from.enums))
    out.push(`CREATE TYPE ${e.key} AS ENUM (${e.labels.map(quoteLiteral).join(', ')})`)
  const recreatedEnums = new Set<string>()
  for (const e of changed(to.enums, from.enums, (x, y) => x.labels.join('\0') === y.labels.join('\0')))
    out.push(...alterEnum(e, byKey(from.enums).get(e.key)!, from, to, recreatedEnums))
  for (const s of onlyIn(to.sequences, from.sequences))
    out.push(`CREATE SEQUENCE ${s.key} AS ${s.dataType} INCREMENT BY ${s.increment} START WITH ${s.start}`)
  if (onlyIn(to.functions, from.functions).length + changed(to.functions, from.functions, sameDef).length > 0)
    out.push('SET check_function_bodies = off')
  for (const f of [...onlyIn(to.functions, from.functions), ...changed(to.functions, from.functions, sameDef)])
    out.push(f.definition.trim().replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION').replace(/^CREATE PROCEDURE/, 'CREATE OR REPLACE PROCEDURE'))

  // 3. Tables and columns.
  for (const t of onlyIn(to.tables, from.tables))
    out.push(`CREATE TABLE ${t.key} (\n${t.columns.map((c) => `    ${columnDefinition(c)}`).join(',\n')}\n)`)
  const enumTypes = new Set([...from.enums, ...to.enums].map((e) => e.key))
  const fromTables = byKey(from.tables)
  for (const t of to.tables) {
    const current = fromTables.get(t.key)
    if (!current) continue
    const have = new Map(current.columns.map((c) => [c.name, c]))
    const want = new Set(t.columns.map((c) => c.name))
    for (const c of current.columns.filter((c) => !want.has(c.name))) {
      out.push(`ALTER TABLE ${t.key} DROP COLUMN ${quoteIdent(c.name)}`)
      warnings.push(`The column ${quoteIdent(c.name)} of ${t.key} is dropped: all the data in it will be lost.`)
    }
    for (const c of t.columns) {
      const old = have.get(c.name)
      if (!old) {
        out.push(`ALTER TABLE ${t.key} ADD COLUMN ${columnDefinition(c)}`)
        warnings.push(`The column ${quoteIdent(c.name)} of ${t.key} is re-created empty: the values it held before the migration are not restored.`)
        if (c.notNull && c.default === null && !c.identity && !c.generated)
          warnings.push(`Adding the required column ${quoteIdent(c.name)} to ${t.key} without a default fails if the table is not empty.`)
        continue
      }
      out.push(...alterColumn(t.key, old, c, recreatedEnums, enumTypes))
    }
  }

  // 4. Drop what the migration added and nothing uses any more.
  for (const s of onlyIn(from.sequences, to.sequences)) out.push(`DROP SEQUENCE IF EXISTS ${s.key}`)
  for (const f of onlyIn(from.functions, to.functions)) out.push(`DROP FUNCTION ${f.key}`)
  for (const e of onlyIn(from.enums, to.enums)) out.push(`DROP TYPE ${e.key}`)
  for (const e of from.extensions.filter((e) => !to.extensions.some((f) => f.name === e.name))) out.push(`DROP EXTENSION ${quoteIdent(e.name)}`)
  for (const s of from.schemas.filter((s) => !to.schemas.includes(s))) out.push(`DROP SCHEMA ${quoteIdent(s)}`)

  // 5. Constraints, indexes, foreign keys, sequence ownership, triggers and views of the target.
  for (const c of [...onlyIn(otherConstraints(to), otherConstraints(from)), ...changed(otherConstraints(to), otherConstraints(from), sameDef)])
    out.push(`ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`)
  for (const i of [...onlyIn(to.indexes, from.indexes), ...changed(to.indexes, from.indexes, sameDef)]) out.push(i.definition)
  for (const c of [...onlyIn(fks(to), fks(from)), ...changed(fks(to), fks(from), sameFk)])
    out.push(`ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`)
  const fromSeq = byKey(from.sequences)
  for (const s of to.sequences.filter((s) => s.ownedBy && fromSeq.get(s.key)?.ownedBy !== s.ownedBy))
    out.push(`ALTER SEQUENCE ${s.key} OWNED BY ${s.ownedBy}`)
  for (const t of [...onlyIn(to.triggers, from.triggers), ...changed(to.triggers, from.triggers, sameDef)]) out.push(t.definition)
  for (const v of [...onlyIn(to.views, from.views), ...changed(to.views, from.views, sameDef)])
    out.push(`CREATE ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.key} AS\n${v.definition.trim().replace(/;$/, '')}`)
  return { statements: out, warnings }
}

function columnDefinition(c: ColumnDescription): string {
  let sql = `${quoteIdent(c.name)} ${c.type}`
  if (c.generated) return `${sql} GENERATED ALWAYS AS (${c.generated}) STORED`
  if (c.identity) sql += ` GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`
  else if (c.default !== null) sql += ` DEFAULT ${c.default}`
  if (c.notNull && !c.identity) sql += ' NOT NULL'
  return sql
}

function alterColumn(table: string, from: ColumnDescription, to: ColumnDescription, recreatedEnums: Set<string>, enumTypes: Set<string>): string[] {
  const out: string[] = []
  const col = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(to.name)}`
  const typeChanges = from.type !== to.type && !recreatedEnums.has(to.type)
  if (from.default !== to.default || typeChanges) { if (from.default !== null) out.push(`${col} DROP DEFAULT`) }
  if (from.identity && from.identity !== to.identity) out.push(`${col} DROP IDENTITY`)
  // There is no cast between two enums, or from most types to an enum: go through text.
  const base = (type: string) => type.replace(/\[\]$/, '')
  const viaText = enumTypes.has(base(from.type)) || enumTypes.has(base(to.type)) ? `::text${to.type.endsWith('[]') ? '[]' : ''}` : ''
  if (typeChanges) out.push(`${col} SET DATA TYPE ${to.type} USING ${quoteIdent(to.name)}${viaText}::${to.type}`)
  if (from.notNull !== to.notNull && !to.identity) out.push(`${col} ${to.notNull ? 'SET' : 'DROP'} NOT NULL`)
  if (to.identity && from.identity !== to.identity) out.push(`${col} ADD GENERATED ${to.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`)
  if (to.default !== null && (from.default !== to.default || typeChanges)) out.push(`${col} SET DEFAULT ${to.default}`)
  return out
}

/**
 * Postgres can add enum values but not remove or reorder them. When the target only has more values,
 * they are added in place; otherwise the type is re-created the way Prisma does it (rename, create,
 * convert every column through text, drop the old type).
 */
function alterEnum(to: SchemaDescription['enums'][number], from: SchemaDescription['enums'][number],
  fromDb: SchemaDescription, toDb: SchemaDescription, recreated: Set<string>): string[] {
  const keepsOrder = from.labels.every((l) => to.labels.includes(l)) &&
    to.labels.filter((l) => from.labels.includes(l)).join('\0') === from.labels.join('\0')
  if (keepsOrder) {
    // In order, so the neighbour named is either an old value or one added just before.
    const firstOld = to.labels.find((l) => from.labels.includes(l))!
    return to.labels.flatMap((label, i) => from.labels.includes(label) ? [] :
      [`ALTER TYPE ${to.key} ADD VALUE ${quoteLiteral(label)} ${i === 0 ? `BEFORE ${quoteLiteral(firstOld)}` : `AFTER ${quoteLiteral(to.labels[i - 1])}`}`])
  }
  recreated.add(to.key)
  const old = `${quoteIdent(`${to.name}_old`)}`
  const qualifiedOld = to.key.includes('.') ? `${quoteIdent(to.schema)}.${old}` : old
  const out = [`ALTER TYPE ${to.key} RENAME TO ${old}`, `CREATE TYPE ${to.key} AS ENUM (${to.labels.map(quoteLiteral).join(', ')})`]
  const targetTables = byKey(toDb.tables)
  // Tables only in `fromDb` were dropped earlier in the script.
  for (const t of fromDb.tables.filter((t) => targetTables.has(t.key))) {
    for (const c of t.columns.filter((c) => c.type === to.key || c.type === `${to.key}[]`)) {
      const target = targetTables.get(t.key)?.columns.find((x) => x.name === c.name)
      const col = `ALTER TABLE ${t.key} ALTER COLUMN ${quoteIdent(c.name)}`
      if (c.default !== null) out.push(`${col} DROP DEFAULT`)
      out.push(`${col} TYPE ${c.type} USING (${quoteIdent(c.name)}::text${c.type.endsWith('[]') ? '[]' : ''}::${c.type})`)
      if (target?.default) out.push(`${col} SET DEFAULT ${target.default}`)
    }
  }
  out.push(`DROP TYPE ${qualifiedOld}`)
  return out
}

function retypedTables(from: SchemaDescription, to: SchemaDescription): Set<string> {
  const target = byKey(to.tables)
  const out = new Set<string>()
  for (const t of from.tables) {
    const want = target.get(t.key)
    if (want && t.columns.some((c) => { const w = want.columns.find((x) => x.name === c.name); return w !== undefined && w.type !== c.type }))
      out.add(t.key)
  }
  return out
}

function qualifiedIndex(table: string, index: string): string {
  const dot = splitQualified(table)
  return dot ? `${dot}.${quoteIdent(index)}` : quoteIdent(index)
}

/** The schema part of a regclass text (`"s"."t"` or `s.t`), or null when unqualified. */
function splitQualified(name: string): string | null {
  const m = /^("(?:[^"]|"")+"|[^".]+)\./.exec(name)
  return m ? m[1] : null
}
