/** One statement of the parser's JSON: its tree's JSON text, node type and byte span. */
export interface ParseJsonEntry {
  stmtJson: string
  kind: string
  location: number
  /** 0 for a last statement with no `;`: it runs to the end of the input. */
  length: number
}

const OPEN = '"stmts":['
const ENTRY = '{"stmt":'
const LEN = ',"stmt_len":'
const LOCATION = ',"stmt_location":'

/**
 * Cuts libpg-query's `{"version":N,"stmts":[{"stmt":{...},"stmt_location":N,"stmt_len":N},...]}`
 * into its statements without parsing the trees. Sound because a key can only be written as JSON
 * structure: inside a JSON string every `"` is escaped, so `,"stmt_len":` is never inside a value,
 * and only the parser's RawStmt has `stmt_location` / `stmt_len` keys. Every statement but the last
 * ends with `;`, so it has a length. Null when the text is not shaped that way: the caller then
 * parses it whole.
 */
export function splitParseJson(json: string): ParseJsonEntry[] | null {
  const open = json.indexOf(OPEN)
  if (open === -1) return json.startsWith('{"version":') && !json.includes('"stmts"') ? [] : null
  if (!json.endsWith(']}')) return null
  const stop = json.length - 2
  const entries: ParseJsonEntry[] = []
  let pos = open + OPEN.length
  while (pos < stop) {
    const lenAt = json.indexOf(LEN, pos)
    const close = lenAt === -1 ? stop - 1 : json.indexOf('}', lenAt)
    const entry = readEntry(json, pos, lenAt, close)
    if (!entry) return null
    entries.push(entry)
    // Past the entry's `}` and the `,` before the next one.
    pos = close + 2
  }
  return entries
}

/** The entry from `start` to its closing brace at `close`; its stmt_len key at `lenAt` (-1: none). */
function readEntry(json: string, start: number, lenAt: number, close: number): ParseJsonEntry | null {
  if (json.charCodeAt(close) !== 0x7d || !json.startsWith(ENTRY, start)) return null
  const fieldsEnd = lenAt === -1 ? close : lenAt
  const locationAt = json.lastIndexOf(LOCATION, fieldsEnd)
  const hasLocation = locationAt > start
  const stmtEnd = hasLocation ? locationAt : fieldsEnd
  const location = hasLocation ? Number(json.slice(locationAt + LOCATION.length, fieldsEnd)) : 0
  const length = lenAt === -1 ? 0 : Number(json.slice(lenAt + LEN.length, close))
  const stmtJson = json.slice(start + ENTRY.length, stmtEnd)
  if (!Number.isInteger(location) || !Number.isInteger(length) || stmtJson.charCodeAt(0) !== 0x7b) return null
  // `{"IndexStmt":{...}}`: the node type is the first key.
  const kind = stmtJson.charCodeAt(1) === 0x22 ? stmtJson.slice(2, stmtJson.indexOf('"', 2)) : 'Unknown'
  return { stmtJson, kind, location, length }
}
