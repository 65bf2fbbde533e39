import type { AstNode } from './types.js'

/** A RangeVar as written, for messages: `"User"`, `billing.invoices`. */
export function displayName(rel: AstNode | undefined): string {
  if (!rel) return 'the table'
  // The effects, the facts and the rules of one statement ask it of the same RangeVar in turn.
  if (rel !== lastNamed) {
    const schema = rel.schemaname ? displayIdent(rel.schemaname) : ''
    const name = rel.relname ? displayIdent(rel.relname) : ''
    lastName = schema && name ? `${schema}.${name}` : schema || name
    lastNamed = rel
  }
  return lastName
}
let lastNamed: object | undefined
let lastName = ''

/** An identifier as it must be written in SQL: quoted when folding to lower case would change it. */
export function displayIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`
}

/** A stable key for a table: schema-qualified, `public` when unqualified. */
export function tableKey(rel: AstNode | string | undefined): string {
  if (!rel) return ''
  if (typeof rel === 'string') return rel.includes('.') ? rel : `public.${rel}`
  // Rules and facts ask for the key of the statement's RangeVar many times in a row; a fresh string
  // is hashed again on every Set/Map lookup, a kept one is not. One entry, not a WeakMap: a WeakMap
  // over every statement's nodes costs the garbage collector more than it saves.
  if (rel !== lastRel) {
    lastKey = `${rel.schemaname ?? 'public'}.${rel.relname}`
    lastRel = rel
  }
  return lastKey
}
let lastRel: object | undefined
let lastKey = ''

/** The string values of a list of `{ String: { sval } }` nodes (qualified names, type names). */
export function names(list: AstNode[] | undefined): string[] {
  const out: string[] = []
  if (!Array.isArray(list)) return out
  for (let i = 0; i < list.length; i++) {
    const name = list[i]?.String?.sval ?? (list[i]?.A_Star ? '*' : '')
    if (name) out.push(name)
  }
  return out
}

/** The type name of a TypeName node without the pg_catalog prefix, e.g. "varchar". */
export function typeNameOf(typeName: AstNode | undefined): string {
  // Called for every column of every statement by several rules: no temporary arrays.
  const list: AstNode[] | undefined = typeName?.names
  if (!Array.isArray(list)) return ''
  let out = ''
  let first = true
  for (let i = 0; i < list.length; i++) {
    const name: string = list[i]?.String?.sval ?? (list[i]?.A_Star ? '*' : '')
    if (!name) continue
    if (first) {
      first = false
      if (name === 'pg_catalog') continue
    }
    out = out ? `${out}.${name}` : name
  }
  return out
}

/** Numeric type modifiers of a TypeName, e.g. [255] for varchar(255). */
export function typeModsOf(typeName: AstNode | undefined): number[] {
  return (typeName?.typmods ?? []).map((m: AstNode) => m?.A_Const?.ival?.ival ?? 0)
}

/** The single node inside a wrapper like `{ Constraint: {...} }`. */
export function unwrap(node: AstNode, type: string): AstNode | undefined {
  return node?.[type]
}

/** The column names a Constraint or IndexStmt names. */
export function constraintColumns(constraint: AstNode): string[] {
  return names(constraint?.keys)
}

/**
 * Column definitions and constraints of an ALTER TABLE, as `{ subtype, name, def }`. A dozen rules
 * and the facts ask for every ALTER TABLE: the last node's list is kept, so callers must not modify it.
 */
export function alterCommands(alter: AstNode): readonly AstNode[] {
  if (!alter || typeof alter !== 'object') return []
  if (alter !== lastAlter) {
    const out: AstNode[] = []
    const cmds: AstNode[] = alter.cmds ?? []
    for (let i = 0; i < cmds.length; i++) if (cmds[i].AlterTableCmd) out.push(cmds[i].AlterTableCmd)
    lastCommands = out
    lastAlter = alter
  }
  return lastCommands
}
// The rules of one statement run one after the other: one entry is all a cache needs.
let lastAlter: object | undefined
let lastCommands: AstNode[] = []

/** Constraints attached to a ColumnDef, unwrapped. */
export function columnConstraints(columnDef: AstNode): readonly AstNode[] {
  // The effects, the facts and several rules ask it of an added column in turn: the last answer is kept.
  if (columnDef !== lastColumnDef) {
    const out: AstNode[] = []
    const list: AstNode[] = columnDef?.constraints ?? []
    for (let i = 0; i < list.length; i++) if (list[i].Constraint) out.push(list[i].Constraint)
    lastConstraints = out
    lastColumnDef = columnDef
  }
  return lastConstraints
}
let lastColumnDef: AstNode | undefined
let lastConstraints: readonly AstNode[] = []

/** Walks every node of a subtree, depth first. */
export function walk(node: AstNode, visit: (key: string, value: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit)
    return
  }
  if (node === null || typeof node !== 'object') return
  // for...in, not Object.entries: this runs for every node of every statement, for several rules,
  // and the parse tree (plain JSON objects) has no inherited enumerable keys.
  for (const key in node) {
    const value = node[key]
    visit(key, value)
    walk(value, visit)
  }
}

/**
 * `{ IndexStmt: {...} }` → `['IndexStmt', {...}]`. The facts, the statement's effects and several
 * rules ask it of every statement in turn: the last answer is kept (read it by index: destructuring
 * `const [kind, node] =` runs the array iterator, two objects per call in V8's baseline tier).
 */
export function statementNode(stmt: AstNode): readonly [string, AstNode] {
  if (stmt !== lastStatement) {
    lastNode = nodeOf(stmt)
    lastStatement = stmt
  }
  return lastNode
}
let lastStatement: AstNode | undefined
let lastNode: readonly [string, AstNode] = ['Unknown', {}]

function nodeOf(stmt: AstNode): readonly [string, AstNode] {
  // Stop at the only key instead of copying all entries.
  if (stmt) for (const key in stmt) return [key, stmt[key]]
  return ['Unknown', {}]
}
