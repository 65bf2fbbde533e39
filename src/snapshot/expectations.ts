import { InputError } from '../errors.js'

/**
 * What a migration declares it changes on purpose, in comments of its SQL:
 *
 *   -- koinonia-db-expect: rows "Contact" -10%            row count may fall by up to 10 %
 *   -- koinonia-db-expect: rows "Contact" +500            row count may grow by up to 500 rows
 *   -- koinonia-db-expect: rows "Contact" any             any row count
 *   -- koinonia-db-expect: column "User"."name" changes   the column's values may change
 *   -- koinonia-db-expect: column "User"."name" dropped   dropping the column's data is intended
 *   -- koinonia-db-expect: table "Legacy" dropped         dropping the table's rows is intended
 *   -- koinonia-db-expect: rewrite "Contact"              rewriting the table is accepted
 *
 * Names are as in SQL: `"Quoted"` keeps case, bare names are folded to lower case; a schema other than
 * public is written `"schema"."table"`.
 */
export type Expectation =
  | { kind: 'rows'; table: string; change: { direction: '+' | '-' | 'any'; amount: number; percent: boolean } }
  | { kind: 'column-changes' | 'column-dropped'; table: string; column: string }
  | { kind: 'table-dropped' | 'rewrite'; table: string }

const MARKER = /--\s*koinonia-db-expect:\s*(.*)$/
const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`
const NAME = new RegExp(String.raw`^(${IDENT})(?:\.(${IDENT}))?(?:\.(${IDENT}))?`)

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase()
}

/** `"a"."b"` → ['a', 'b'], and the rest of the text. */
function readName(text: string): { parts: string[]; rest: string } | null {
  const m = NAME.exec(text)
  if (!m) return null
  return { parts: [m[1], m[2], m[3]].filter(Boolean).map(unquote), rest: text.slice(m[0].length).trim() }
}

const tableOf = (parts: string[]) => (parts.length > 1 && parts[0] !== 'public' ? parts.join('.') : parts[parts.length - 1])

export function parseExpectations(sql: string, file: string): Expectation[] {
  const out: Expectation[] = []
  sql.split('\n').forEach((line, i) => {
    const m = MARKER.exec(line)
    if (!m) return
    const fail = (why: string) => {
      throw new InputError('KDB_EXPECT_SYNTAX', `bad koinonia-db-expect comment: ${why}`, {
        file, line: i + 1, column: line.indexOf('--') + 1,
        hint: 'Write e.g. `-- koinonia-db-expect: rows "Contact" -10%`, `column "User"."name" changes|dropped`, `table "T" dropped` or `rewrite "T"` (see docs/snapshot.md).',
      })
    }
    const body = m[1].trim()
    const [verb] = body.split(/\s+/)
    const name = readName(body.slice(verb.length).trim())
    if (!name) return fail(`expected a table name after "${verb}"`)
    if (verb === 'rows') {
      const change = /^(any|([+-])(\d+(?:\.\d+)?)(%?))$/.exec(name.rest)
      if (!change || name.parts.length > 2) return fail(`expected rows "Table" -N%, +N or any, got "${body}"`)
      out.push({ kind: 'rows', table: tableOf(name.parts), change: change[1] === 'any'
        ? { direction: 'any', amount: 0, percent: false }
        : { direction: change[2] as '+' | '-', amount: Number(change[3]), percent: change[4] === '%' } })
    } else if (verb === 'column') {
      if (name.parts.length < 2 || !['changes', 'dropped'].includes(name.rest)) return fail(`expected column "Table"."column" changes|dropped, got "${body}"`)
      out.push({ kind: name.rest === 'changes' ? 'column-changes' : 'column-dropped', table: tableOf(name.parts.slice(0, -1)), column: name.parts[name.parts.length - 1] })
    } else if (verb === 'table') {
      if (name.rest !== 'dropped' || name.parts.length > 2) return fail(`expected table "Table" dropped, got "${body}"`)
      out.push({ kind: 'table-dropped', table: tableOf(name.parts) })
    } else if (verb === 'rewrite') {
      if (name.rest || name.parts.length > 2) return fail(`expected rewrite "Table", got "${body}"`)
      out.push({ kind: 'rewrite', table: tableOf(name.parts) })
    } else fail(`unknown expectation "${verb}"`)
  })
  return out
}

/** Whether a row count change from `before` to `after` is covered by the declared expectations. */
export function rowsChangeAllowed(expectations: Expectation[], table: string, before: number, after: number): boolean {
  if (before === after) return true
  return expectations.some((e) => {
    if (e.kind !== 'rows' || e.table !== table) return false
    const { direction, amount, percent } = e.change
    if (direction === 'any') return true
    const delta = after - before
    if ((direction === '+' && delta < 0) || (direction === '-' && delta > 0)) return false
    return Math.abs(delta) <= (percent ? (before * amount) / 100 : amount)
  })
}

export function declares(expectations: Expectation[], kind: Expectation['kind'], table: string, column?: string): boolean {
  return expectations.some((e) => e.kind === kind && e.table === table && (column === undefined || ('column' in e && e.column === column)))
}
