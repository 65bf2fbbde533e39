import type pg from 'pg'
import { fingerprintTable, type Baseline, type Fingerprint } from './baseline.js'
import { readCatalog } from './catalog.js'
import { declares, rowsChangeAllowed, type Expectation } from './expectations.js'
import type { DataLoss, TableResult } from './types.js'

export interface CompareDataOptions {
  expectations: Expectation[]
  droppedBy: Map<string, string>
  /** Fingerprint of a column subset before the migrations (read from the template): needed once columns were dropped. */
  before: (table: string, sql: string, columns: string[]) => Promise<Fingerprint>
}

export interface CompareDataResult {
  tables: TableResult[]
  dataLoss: DataLoss[]
  reasons: string[]
}

/**
 * Compares the data after the migrations with the baseline: row counts, the fingerprint of every
 * surviving column and of whole rows over the surviving columns. A dropped column or table that held
 * values is data loss unless a new column/table holds exactly the same values (a rename).
 */
export async function compareData(client: pg.ClientBase, baseline: Baseline, options: CompareDataOptions): Promise<CompareDataResult> {
  const { expectations, droppedBy } = options
  const catalog = await readCatalog(client)
  const now = new Map<string, { sql: string; fp: Fingerprint; castTo: Record<string, string> }>()
  for (const t of catalog) {
    const before = baseline.tables[t.key]
    // Compare a column whose type changed in its old type, when its values still convert to it.
    const castTo = Object.fromEntries(t.columns.filter((c) => before?.types[c.name] && before.types[c.name] !== c.type).map((c) => [c.name, before.types[c.name]]))
    const columns = t.columns.map((c) => c.name)
    const fp = await fingerprintTable(client, t.sql, columns, castTo).catch(() => fingerprintTable(client, t.sql, columns))
    now.set(t.key, { sql: t.sql, fp, castTo })
  }
  const tables: TableResult[] = []
  const dataLoss: DataLoss[] = []
  const reasons: string[] = []
  const loss = (table: string, column: string | null, values: number, declared: boolean) => {
    if (values <= 0) return
    const migration = droppedBy.get(column ? `${table}.${column}` : table) ?? null
    dataLoss.push({ table, column, values, migration, declared })
    if (!declared) reasons.push(`data loss: ${column ? `column "${table}"."${column}" lost ${values} non-null values` : `table "${table}" lost ${values} rows`}${migration ? ` (${migration})` : ''}`)
  }
  const claimed = new Set<string>()

  for (const [name, before] of Object.entries(baseline.tables)) {
    const after = now.get(name)
    if (!after) {
      const renamed = findRenamedTable(before, now, baseline, claimed)
      if (renamed) claimed.add(renamed)
      else loss(name, null, before.rows, declares(expectations, 'table-dropped', name))
      tables.push({ name, rowsBefore: before.rows, rowsAfter: null, fingerprintMatch: Boolean(renamed), status: renamed ? 'renamed' : 'dropped', changedColumns: [], droppedColumns: [], renamedTo: renamed })
      continue
    }
    const reasonsBefore = reasons.length
    const surviving = Object.keys(before.columns).filter((c) => c in after.fp.columns)
    const dropped = Object.keys(before.columns).filter((c) => !(c in after.fp.columns))
    const rowsOk = rowsChangeAllowed(expectations, name, before.rows, after.fp.rows)
    if (!rowsOk) {
      reasons.push(`rows of "${name}" changed from ${before.rows} to ${after.fp.rows} without a koinonia-db-expect declaration`)
      if (after.fp.rows < before.rows) loss(name, null, before.rows - after.fp.rows, false)
    }
    const changedColumns: string[] = []
    for (const c of surviving) {
      const [b, a] = [before.columns[c], after.fp.columns[c]]
      if (b.fingerprint === a.fingerprint && b.nonNull === a.nonNull) continue
      changedColumns.push(c)
      const declared = declares(expectations, 'column-changes', name, c) || before.rows !== after.fp.rows
      if (a.nonNull < b.nonNull && before.rows === after.fp.rows) loss(name, c, b.nonNull - a.nonNull, declares(expectations, 'column-changes', name, c))
      else if (!declared) reasons.push(`values of "${name}"."${c}" changed without a koinonia-db-expect declaration`)
    }
    let rowsMatch = true
    if (!changedColumns.length && before.rows === after.fp.rows && surviving.length) {
      const b = dropped.length ? (await options.before(name, before.sql, surviving)).rowFingerprint : before.rowFingerprint
      const a = dropped.length || surviving.length !== Object.keys(after.fp.columns).length ? (await fingerprintTable(client, after.sql, surviving, after.castTo)).rowFingerprint : after.fp.rowFingerprint
      rowsMatch = a === b
      if (!rowsMatch) reasons.push(`values of "${name}" moved between rows (every column's values are the same, the rows are not)`)
    }
    for (const c of dropped) {
      const b = before.columns[c]
      const renamed = Object.entries(after.fp.columns).find(([n, a]) => !(n in before.columns) && a.fingerprint === b.fingerprint && a.nonNull === b.nonNull && b.nonNull > 0)
      if (!renamed) loss(name, c, b.nonNull, declares(expectations, 'column-dropped', name, c))
    }
    const fingerprintMatch = before.rows === after.fp.rows && !changedColumns.length && rowsMatch
    const expected = !fingerprintMatch && reasons.length === reasonsBefore
    tables.push({
      name, rowsBefore: before.rows, rowsAfter: after.fp.rows, fingerprintMatch,
      status: fingerprintMatch && !dropped.length ? 'unchanged' : expected ? 'expected' : 'changed',
      changedColumns, droppedColumns: dropped, renamedTo: null,
    })
  }
  for (const [name, after] of now)
    if (!(name in baseline.tables) && !claimed.has(name))
      tables.push({ name, rowsBefore: 0, rowsAfter: after.fp.rows, fingerprintMatch: true, status: 'new', changedColumns: [], droppedColumns: [], renamedTo: null })
  return { tables, dataLoss, reasons }
}

/** A new table with the same rows and the same values in every old column (under any column names) is a rename. */
function findRenamedTable(before: Baseline['tables'][string], now: Map<string, { fp: Fingerprint }>, baseline: Baseline, claimed: Set<string>): string | null {
  if (before.rows === 0) return null
  for (const [name, after] of now) {
    if (name in baseline.tables || claimed.has(name) || after.fp.rows !== before.rows) continue
    const values = Object.values(after.fp.columns).map((c) => `${c.nonNull}:${c.fingerprint}`)
    if (Object.values(before.columns).every((c) => values.includes(`${c.nonNull}:${c.fingerprint}`))) return name
  }
  return null
}
