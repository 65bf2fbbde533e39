const OPEN = '"stmts":['
const ENTRY = '{"stmt":'
const LEN = ',"stmt_len":'
const LOCATION = ',"stmt_location":'

/**
 * Cuts libpg-query's `{"version":N,"stmts":[{"stmt":{...},"stmt_location":N,"stmt_len":N},...]}`
 * into its statements without parsing the trees, and passes each (its tree's JSON text, node type,
 * byte location and length) to `each`, in order. Sound because a key can only be written as JSON
 * structure: inside a JSON string every `"` is escaped, so `,"stmt_len":` is never inside a value,
 * and only the parser's RawStmt has `stmt_location` / `stmt_len` keys. Every statement but the last
 * ends with `;`, so it has a length (0 for a last one without: it runs to the end of the input).
 * False when the text is not shaped that way (some statements may have been passed already): the
 * caller then parses it whole.
 */
export function forEachParseJsonEntry(json: string, each: (stmtJson: string, kind: string, location: number, length: number) => void): boolean {
  const open = json.indexOf(OPEN)
  if (open === -1) return json.startsWith('{"version":') && !json.includes('"stmts"')
  if (!json.endsWith(']}')) return false
  const stop = json.length - 2
  let pos = open + OPEN.length
  while (pos < stop) {
    const lenAt = json.indexOf(LEN, pos)
    const close = lenAt === -1 ? stop - 1 : json.indexOf('}', lenAt)
    if (json.charCodeAt(close) !== 0x7d || !json.startsWith(ENTRY, pos)) return false
    const fieldsEnd = lenAt === -1 ? close : lenAt
    const locationAt = json.lastIndexOf(LOCATION, fieldsEnd)
    const hasLocation = locationAt > pos
    const location = hasLocation ? digitsAt(json, locationAt + LOCATION.length, fieldsEnd) : 0
    const length = lenAt === -1 ? 0 : digitsAt(json, lenAt + LEN.length, close)
    const stmtJson = json.slice(pos + ENTRY.length, hasLocation ? locationAt : fieldsEnd)
    if (location < 0 || length < 0 || stmtJson.charCodeAt(0) !== 0x7b) return false
    // `{"IndexStmt":{...}}`: the node type is the first key.
    each(stmtJson, stmtJson.charCodeAt(1) === 0x22 ? stmtJson.slice(2, stmtJson.indexOf('"', 2)) : 'Unknown', location, length)
    // Past the entry's `}` and the `,` before the next one.
    pos = close + 2
  }
  return true
}

/** The non-negative integer written in json[from, to); -1 if that is not one. */
function digitsAt(json: string, from: number, to: number): number {
  if (from >= to) return -1
  let n = 0
  for (let i = from; i < to; i++) {
    const d = json.charCodeAt(i) - 0x30
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}
