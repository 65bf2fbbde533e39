/** The only place a name or a literal becomes SQL text. */

/** `"My Table"`: always quoted, so case and reserved words survive. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('identifier contains a NUL byte')
  return `"${name.replace(/"/g, '""')}"`
}

/** `schema.table` → `"schema"."table"`; an unqualified name stays unqualified. */
export function quoteQualified(name: string | { schema?: string | null; name: string }): string {
  if (typeof name === 'string') return quoteIdent(name)
  return name.schema ? `${quoteIdent(name.schema)}.${quoteIdent(name.name)}` : quoteIdent(name.name)
}

/** `'it''s'`, or `E'...'` when the value holds a backslash. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('literal contains a NUL byte')
  const body = value.replace(/'/g, "''")
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`
}
