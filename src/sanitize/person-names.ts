import type pg from 'pg'
import { quoteIdent, quoteLiteral } from '../postgres/sql.js'
import type { Catalog, CatalogTable } from './catalog.js'
import type { PlannedColumn, PlannedTable, SanitizePlan } from './plan.js'
import { tableSql } from './row-key.js'
import type { Params } from './strategies/strategy.js'
import { fingerprintKeySql, PERSON_NAMES_TABLE } from './sql-functions.js'
import { PERSON_WORD } from './text-patterns.js'

/**
 * `scrub` with `names_of: <column>`: the text is about (or to) the person that column references,
 * so that person's first and last name are masked where they stand alone too ("Hi Ruth,"), by the
 * fakes that person's row got. Resolved at planning: the column's single-column foreign key.
 */
export interface PersonLink {
  /** The referencing column (names_of). */
  column: string
  /** The referenced table and column (the person's key). */
  refTable: string
  refColumn: string
}

/**
 * The link a scrub rule's `names_of` names, or why there is none: the column's single-column
 * foreign key, else a reference the rules declare for it (`references`: schemas without foreign keys,
 * Prisma's relationMode "prisma" among them).
 */
export function personLink(catalog: Catalog, table: CatalogTable, params: Params, references: readonly { from: string; to: string }[]): PersonLink | string | null {
  const column = params.names_of
  if (typeof column !== 'string') return null
  if (!table.columns.some((c) => c.name === column)) return `names_of names ${column}, which is no column of ${table.qualified}`
  const fk = catalog.foreignKeys.find((f) => f.table === table.qualified && f.columns.length === 1 && f.columns[0] === column)
  if (fk) return { column, refTable: fk.refTable, refColumn: fk.refColumns[0] }
  const declared = references.find((r) => r.from === `${table.qualified}.${column}`)
  if (declared) {
    const at = declared.to.lastIndexOf('.')
    return { column, refTable: declared.to.slice(0, at), refColumn: declared.to.slice(at + 1) }
  }
  return `names_of: ${column} has no single-column foreign key to the people it names, and no reference declares one`
}

/**
 * The words a table's masked name columns make, each with the fake its mask gives it, as SQL
 * triples (word, fake, rank): a first or last name column's fake ranks before a full name's word.
 */
function nameWordsSql(masked: readonly PlannedColumn[]): string[] {
  const triples: string[] = []
  for (const m of masked) {
    if (m.strategy !== 'name') continue
    const c = `${quoteIdent(m.column)}::text`
    const part = String(m.params.part ?? 'full')
    if (part !== 'full') triples.push(`(btrim(${c}), pg_temp.kdb_name(${c}, '${part}'), 1)`)
    // A full name's fake is a fake first name and a fake last name: its first and last words map to them.
    else triples.push(`(split_part(btrim(${c}), ' ', 1), pg_temp.kdb_name(${c}, 'first'), 2)`, `(substring(btrim(${c}) from '(\\S+)$'), pg_temp.kdb_name(${c}, 'last'), 2)`)
  }
  return triples
}

/** The tables `names_of` links point to, with the problems of links to tables that mask no names. */
export function personTables(plan: Pick<SanitizePlan, 'tables'>): { tables: Map<string, PersonLink>; problems: { table: string; column: string; message: string }[] } {
  const byName = new Map(plan.tables.map((t) => [t.table, t]))
  const tables = new Map<string, PersonLink>()
  const problems: { table: string; column: string; message: string }[] = []
  for (const t of plan.tables)
    for (const m of t.masked) {
      const link = m.person
      if (!link) continue
      const ref = byName.get(link.refTable)
      if (!ref || !nameWordsSql(ref.masked).length) problems.push({ table: t.table, column: m.column, message: `${t.table}.${m.column}: names_of ${link.column} points to ${link.refTable}, which masks no name column` })
      else tables.set(link.refTable, link)
    }
  return { tables, problems }
}

/**
 * Before the run masks any table: for each table `names_of` points to, the fingerprint of every
 * word of its masked names with the fake it becomes, by the person's key, so that `scrub` replaces
 * them in the texts about that person (kdb_scrub's person pass) and the scan can check it did.
 * Fakes are no secret; the names are stored only as keyed fingerprints. Tables masked by an
 * earlier run are skipped: that run filled the table.
 */
export async function collectPersonNames(client: pg.Client, plan: SanitizePlan, alreadyMasked: ReadonlySet<string>): Promise<void> {
  const { tables } = personTables(plan)
  if (!tables.size) return
  await client.query(`CREATE TABLE IF NOT EXISTS ${PERSON_NAMES_TABLE} (ref text NOT NULL, key text NOT NULL, fp bytea NOT NULL, fake text NOT NULL, PRIMARY KEY (ref, key, fp))`)
  for (const [refTable, link] of tables) {
    if (alreadyMasked.has(refTable)) continue
    const t = plan.tables.find((x) => x.table === refTable) as PlannedTable
    await client.query(`INSERT INTO ${PERSON_NAMES_TABLE} (ref, key, fp, fake)
      SELECT DISTINCT ON (k, fp) ${quoteLiteral(refTable)}, k, fp, fake FROM (
        SELECT ${quoteIdent(link.refColumn)}::text AS k, pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, w.word) AS fp, w.fake, w.rank
        FROM ${tableSql(refTable)} CROSS JOIN LATERAL (VALUES ${nameWordsSql(t.masked).join(', ')}) w(word, fake, rank)
        WHERE ${quoteIdent(link.refColumn)} IS NOT NULL AND length(w.word) >= 2) s
      ORDER BY k, fp, rank, fake ON CONFLICT DO NOTHING`)
  }
}

/**
 * For the leak scan: the rows of a scrubbed column with `names_of` whose text still holds a word of
 * its person's masked names (other than the fake that word became), as an SQL condition on `t`.
 */
export function personLeakSql(m: PlannedColumn & { person: PersonLink }): string {
  return `EXISTS (SELECT FROM regexp_matches(t.${quoteIdent(m.column)}::text, '\\m(${PERSON_WORD})\\M', 'g') w
    JOIN ${PERSON_NAMES_TABLE} p ON p.ref = ${quoteLiteral(m.person.refTable)} AND p.key = t.${quoteIdent(m.person.column)}::text
      AND p.fp = pg_temp.kdb_fp_k(${fingerprintKeySql('v:')}, lower(w[1])) AND lower(p.fake) <> lower(w[1]))`
}
