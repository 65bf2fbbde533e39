import { withEnd } from './rule-helpers.js'
import { alterCommands, constraintColumns, statementNode, walk } from './ast.js'
import type { ParsedStatement } from './parse.js'
import { canonicalType } from './type-coercion.js'
import type { AstNode } from './types.js'

/** A column a statement creates: in CREATE TABLE, ADD COLUMN, or given a new type by ALTER COLUMN TYPE. */
export interface NewColumn {
  name: string
  typeName: AstNode
  /** `canonicalType(typeName)`, worked out once for the style rules that all ask. */
  type: string
  table: AstNode
  /** Part of the table's primary key. */
  primaryKey: boolean
}

// Six style rules ask for the same statement's columns, one after the other: keep the last statement's.
let lastStmt: object | undefined
let lastColumns: NewColumn[] = []

function newColumns(stmt: AstNode): NewColumn[] {
  if (stmt !== lastStmt) {
    lastColumns = collectNewColumns(stmt)
    lastStmt = stmt
  }
  return lastColumns
}

/**
 * The statement's new columns that `match`, or a shared empty list: six style rules ask this of every
 * CREATE TABLE and ADD COLUMN, and most find nothing (no list made for them, `match` best declared
 * once at module level rather than as a closure made per call).
 */
export function newColumnsWhere(stmt: AstNode, match: (column: NewColumn) => boolean): readonly NewColumn[] {
  const all = newColumns(stmt)
  let out: NewColumn[] | undefined
  for (let i = 0; i < all.length; i++) if (match(all[i])) (out ??= []).push(all[i])
  return out ?? NO_COLUMNS
}
const NO_COLUMNS: readonly NewColumn[] = Object.freeze([])

function collectNewColumns(stmt: AstNode): NewColumn[] {
  const kindAndNode = statementNode(stmt)
  const kind = kindAndNode[0]
  const node = kindAndNode[1]
  const out: NewColumn[] = []
  if (kind === 'CreateStmt') {
    const elts: AstNode[] = node.tableElts ?? []
    let pk: string[] = []
    for (let i = 0; i < elts.length; i++) if (elts[i].Constraint?.contype === 'CONSTR_PRIMARY') pk = pk.concat(constraintColumns(elts[i].Constraint))
    for (let i = 0; i < elts.length; i++) {
      const def = elts[i].ColumnDef
      if (!def?.typeName) continue
      out.push({ name: def.colname, typeName: def.typeName, type: canonicalType(def.typeName), table: node.relation, primaryKey: hasPrimaryKey(def) || pk.includes(def.colname) })
    }
  }
  if (kind === 'AlterTableStmt') {
    const cmds = alterCommands(node)
    for (let i = 0; i < cmds.length; i++) {
      const cmd = cmds[i]
      // Subcommand type first: other ALTERs are then settled by their shape (rule-dispatch.ts).
      if (cmd.subtype !== 'AT_AddColumn' && cmd.subtype !== 'AT_AlterColumnType') continue
      const def = cmd.def?.ColumnDef
      if (!def?.typeName) continue
      if (cmd.subtype === 'AT_AddColumn')
        out.push({ name: def.colname, typeName: def.typeName, type: canonicalType(def.typeName), table: node.relation, primaryKey: hasPrimaryKey(def) })
      if (cmd.subtype === 'AT_AlterColumnType') out.push({ name: cmd.name, typeName: def.typeName, type: canonicalType(def.typeName), table: node.relation, primaryKey: false })
    }
  }
  return out
}

/** A column definition with an inline PRIMARY KEY. */
function hasPrimaryKey(def: AstNode): boolean {
  const list: AstNode[] = def.constraints ?? []
  for (let i = 0; i < list.length; i++) if (list[i].Constraint?.contype === 'CONSTR_PRIMARY') return true
  return false
}

// A type as written: a (possibly two-word) name, an optional modifier list, an optional time zone clause.
const TYPE_AT = /^(?:character\s+varying|double\s+precision|bit\s+varying|[A-Za-z_][\w$]*)(?:\s*\([^)]*\))?(?:\s+with(?:out)?\s+time\s+zone)?/i

/**
 * The statement's text with the types at the given TypeName locations replaced. Locations are byte
 * offsets into the file; the statement text starts at `byteStart`.
 */
export function replaceTypes(statement: ParsedStatement, replacements: Array<{ typeName: AstNode; to: string }>): string {
  if (Buffer.byteLength(statement.text, 'utf8') === statement.text.length) return replaceTypesAscii(statement, replacements)
  let bytes = Buffer.from(statement.text, 'utf8')
  const sorted = [...replacements].filter((r) => typeof r.typeName?.location === 'number').sort((a, b) => b.typeName.location - a.typeName.location)
  for (const { typeName, to } of sorted) {
    const at = typeName.location - statement.byteStart
    if (at < 0 || at >= bytes.length) continue
    const rest = bytes.subarray(at).toString('utf8')
    const match = TYPE_AT.exec(rest)
    if (!match) continue
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(to, 'utf8'), bytes.subarray(at + Buffer.byteLength(match[0], 'utf8'))])
  }
  return withEnd(bytes.toString('utf8'), ';')
}

/** `replaceTypes` for ASCII text, where byte offsets are string offsets: no Buffer round trips. */
function replaceTypesAscii(statement: ParsedStatement, replacements: Array<{ typeName: AstNode; to: string }>): string {
  // The end made first, on the statement's own text: trimmed after the replacements, the text
  // built from pieces would be copied whole once more (a style rule's suggestion on every column).
  let text = withEnd(statement.text, '')
  const sorted = replacements.length === 1 ? replacements : [...replacements].sort((a, b) => (b.typeName?.location ?? -1) - (a.typeName?.location ?? -1))
  for (let i = 0; i < sorted.length; i++) {
    const { typeName, to } = sorted[i]
    if (typeof typeName?.location !== 'number') continue
    const at = typeName.location - statement.byteStart
    if (at < 0 || at >= text.length) continue
    const match = TYPE_AT.exec(text.slice(at))
    if (!match) continue
    text = text.slice(0, at) + to + text.slice(at + match[0].length)
  }
  return `${text};`
}

const STOP_WORDS = /^(NOT|NULL|CHECK|REFERENCES|UNIQUE|PRIMARY|CONSTRAINT|COLLATE|GENERATED|DEFAULT)\b/i

/**
 * The source text of an expression inside a statement (a column DEFAULT), from its byte location to
 * the next top-level comma, constraint keyword or the end; undefined when it cannot be found.
 */
export function expressionText(statement: ParsedStatement, expr: AstNode): string | undefined {
  // A node's own location can point at its operator (`::`, `+`): the expression starts at the smallest one inside.
  let location = Infinity
  walk({ expr }, (key, value) => {
    if (key === 'location' && typeof value === 'number' && value >= 0) location = Math.min(location, value)
  })
  if (!Number.isFinite(location)) return undefined
  const ascii = Buffer.byteLength(statement.text, 'utf8') === statement.text.length
  const text = ascii ? statement.text.slice(location - statement.byteStart) : Buffer.from(statement.text, 'utf8').subarray(location - statement.byteStart).toString('utf8')
  let depth = 0
  let quote: string | null = null
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quote) {
      if (ch === quote) quote = null
      continue
    }
    if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')') {
      if (depth === 0) return text.slice(0, i).trim() || undefined
      depth--
    } else if (depth === 0 && (ch === ',' || ch === ';')) return text.slice(0, i).trim() || undefined
    else if (depth === 0 && /\s/.test(ch) && STOP_WORDS.test(text.slice(i + 1).trimStart())) return text.slice(0, i).trim() || undefined
  }
  return text.trim() || undefined
}
