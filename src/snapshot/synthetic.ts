import type pg from 'pg'
import { InputError } from '../errors.js'
import { quoteIdent, quoteLiteral } from '../postgres/sql.js'
import { readCatalog, type CatalogColumn, type CatalogConstraint, type CatalogTable } from './catalog.js'
import { hashExpr, valueExpr } from './synthetic-values.js'

export interface SyntheticOptions {
  /** Rows per table. Default 1000. */
  rows?: number
  /** PRNG seed: the same seed gives the same data. Default 1. */
  seed?: number
  signal?: AbortSignal
}

export interface SyntheticResult {
  tables: Array<{ name: string; rows: number }>
  durationMs: number
}

/**
 * Fills every user table of an already-migrated database with generated rows that respect types,
 * NOT NULL, enums, unique and primary keys and foreign keys (parents first; self-references point at
 * rows of the same INSERT, which Postgres checks at the end of the statement).
 */
export async function fillSynthetic(client: pg.ClientBase, options: SyntheticOptions = {}): Promise<SyntheticResult> {
  const rows = options.rows ?? 1000
  const seed = options.seed ?? 1
  if (!Number.isInteger(rows) || rows < 0) throw new InputError('KDB_SYNTHETIC_ROWS', `--rows must be a whole number, got ${rows}`, { hint: 'Pass e.g. --rows 1000.' })
  const started = performance.now()
  const catalog = await readCatalog(client)
  const byKey = new Map(catalog.map((t) => [t.key, t]))
  const { order, cyclic } = insertOrder(catalog)
  // A foreign-key cycle between tables has no parents-first order; our values satisfy the keys by
  // construction, so we let Postgres skip the checks (superuser, throwaway database).
  if (cyclic) await client.query(`SET session_replication_role = replica`)
  const filled: SyntheticResult['tables'] = []
  for (const table of order) {
    options.signal?.throwIfAborted()
    try {
      await insertRows(client, table, byKey, rows, seed)
    } catch (error) {
      options.signal?.throwIfAborted()
      throw error
    }
    filled.push({ name: table.key, rows })
  }
  if (cyclic) await client.query(`SET session_replication_role = DEFAULT`)
  await advanceSequences(client, catalog)
  await client.query('ANALYZE')
  return { tables: filled, durationMs: performance.now() - started }
}

/** Parents before children; self-references do not count as edges. */
export function insertOrder(tables: CatalogTable[]): { order: CatalogTable[]; cyclic: boolean } {
  const byKey = new Map(tables.map((t) => [t.key, t]))
  const order: CatalogTable[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  let cyclic = false
  const visit = (t: CatalogTable) => {
    const s = state.get(t.key)
    if (s === 'done') return
    if (s === 'visiting') {
      cyclic = true
      return
    }
    state.set(t.key, 'visiting')
    for (const fk of t.constraints.filter((c) => c.type === 'f' && c.refTable !== t.key)) {
      const parent = fk.refTable ? byKey.get(fk.refTable) : undefined
      if (parent) visit(parent)
    }
    state.set(t.key, 'done')
    order.push(t)
  }
  for (const t of tables) visit(t)
  return { order, cyclic }
}

interface ColumnPlan {
  /** The foreign key whose parent row gives this column's value. */
  fk: CatalogConstraint | null
  unique: boolean
}

/** Decides, per column, whether it must be injective in the row number and which foreign key feeds it. */
function planColumns(table: CatalogTable): { plans: Map<string, ColumnPlan>; fkRow: Map<string, 'identity' | 'hashed'> } {
  const plans = new Map<string, ColumnPlan>(table.columns.map((c) => [c.name, { fk: null, unique: false }]))
  const fks = table.constraints.filter((c) => c.type === 'f')
  for (const fk of fks) for (const col of fk.columns) if (!plans.get(col)!.fk) plans.get(col)!.fk = fk
  const fkRow = new Map<string, 'identity' | 'hashed'>(fks.map((fk) => [fk.name, 'hashed']))
  for (const key of table.constraints.filter((c) => c.type === 'p' || c.type === 'u')) {
    if (key.columns.some((c) => plans.get(c)?.unique)) continue
    const free = key.columns.find((c) => !plans.get(c)?.fk && canBeUnique(table.columns.find((x) => x.name === c)!))
    if (free) {
      plans.get(free)!.unique = true
      continue
    }
    // No column can be made distinct by itself: a foreign key maps row i to parent row i, and parent keys are distinct.
    const fk = key.columns.map((c) => plans.get(c)?.fk).find(Boolean)
    if (fk) fkRow.set(fk.name, 'identity')
  }
  return { plans, fkRow }
}

function canBeUnique(column: CatalogColumn): boolean {
  return column.baseType !== 'bool' && column.typtype !== 'e'
}

/** The SQL expression of `column` of `table` in row `row`: the same function the table's own INSERT used. */
function columnExpr(table: CatalogTable, column: CatalogColumn, row: string, byKey: Map<string, CatalogTable>, seed: number, rows: number, depth = 0): string | null {
  const { plans, fkRow } = planColumns(table)
  const plan = plans.get(column.name)!
  if (plan.fk && depth < 8) {
    const parent = plan.fk.refTable ? byKey.get(plan.fk.refTable) : undefined
    const refName = plan.fk.refColumns[plan.fk.columns.indexOf(column.name)]
    const refColumn = parent?.columns.find((c) => c.name === refName)
    if (parent && refColumn && rows > 0) {
      const parentRow = fkRow.get(plan.fk.name) === 'identity' ? `(${row})` : `(1 + ${hashExpr(seed, `${table.key}.${plan.fk.name}`, row)} % ${rows})`
      const expr = columnExpr(parent, refColumn, parentRow, byKey, seed, rows, depth + 1)
      // A parent value may be NULL (nullable column); the reference then stays NULL too, which is valid.
      if (expr) return `(${expr})::${column.type}`
    }
  }
  return valueExpr({ seed, table: table.key, column, row, unique: plan.unique })
}

async function insertRows(client: pg.ClientBase, table: CatalogTable, byKey: Map<string, CatalogTable>, rows: number, seed: number): Promise<void> {
  if (rows === 0) return
  const names: string[] = []
  const exprs: string[] = []
  for (const column of table.columns) {
    if (column.generated) continue
    const expr = columnExpr(table, column, 'g.i', byKey, seed, rows)
    if (expr) {
      names.push(quoteIdent(column.name))
      exprs.push(expr)
    } else if (column.notNull && column.default === null && !column.identity) {
      throw new InputError('KDB_SYNTHETIC_TYPE', `cannot generate values for ${table.key}.${column.name} of type ${column.type}`, {
        hint: 'Give a real snapshot with --snapshot FILE|URL, or make the column nullable or give it a default.',
      })
    }
  }
  const sql = (cols: string[], values: string[]) =>
    `INSERT INTO ${table.sql} (${cols.join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${values.join(', ')} FROM generate_series(1, ${rows}) AS g(i)`
  try {
    await client.query(sql(names, exprs))
  } catch (error) {
    const e = error as { code?: string; constraint?: string; message: string }
    // Check constraints are arbitrary expressions: when ours violate one, leave its nullable columns empty and retry.
    const check = e.code === '23514' ? table.constraints.find((c) => c.name === e.constraint) : undefined
    const nullable = check?.columns.filter((c) => !table.columns.find((x) => x.name === c)?.notNull) ?? []
    if (!nullable.length)
      throw new InputError('KDB_SYNTHETIC_FAILED', `cannot generate rows for ${table.key}: ${e.message}`, {
        hint: 'Give a real snapshot with --snapshot FILE|URL.', cause: error,
      })
    const keep = names.map((n, i) => [n, exprs[i]] as const).filter(([n]) => !nullable.map(quoteIdent).includes(n))
    await client.query(sql(keep.map(([n]) => n), keep.map(([, x]) => x)))
  }
}

/** Sequences behind serial/identity columns continue after the generated keys, as in a real database. */
async function advanceSequences(client: pg.ClientBase, catalog: CatalogTable[]): Promise<void> {
  for (const table of catalog) {
    for (const column of table.columns) {
      const seq = column.identity || column.default?.startsWith('nextval(')
        ? (await client.query(`SELECT pg_get_serial_sequence($1, $2) AS seq`, [table.sql, column.name])).rows[0].seq
        : null
      const fromDefault = /^nextval\('(.+?)'::regclass\)$/.exec(column.default ?? '')?.[1]
      const name = seq ?? fromDefault
      if (!name) continue
      await client.query(`SELECT setval(${quoteLiteral(name)}::regclass, COALESCE((SELECT max(${quoteIdent(column.name)}) FROM ${table.sql}), 0) + 1, false)`)
    }
  }
}
