/**
 * Cuts libpg-query's `{"version":N,"stmts":[{"stmt":{...},"stmt_location":N,"stmt_len":N},...]}`
 * into its statements without parsing the trees: four numbers per statement, in order, where its
 * tree's JSON text starts and ends in `json`, and the statement's byte location and length. Sound
 * because a key can only be written as JSON structure: inside a JSON string every `"` is escaped, so
 * `,"stmt_len":` is never inside a value, and only the parser's RawStmt has `stmt_location` /
 * `stmt_len` keys. Every statement but the last ends with `;`, so it has a length (0 for a last one
 * without: it runs to the end of the input). Null when the text is not shaped that way: the caller
 * then parses it whole.
 * Self-contained (no outside names), because the parser's worker runs its source too
 * (tail-worker.ts): the worker cuts its parts, and the calling thread only slices.
 * Returned, not passed to a callback: V8's optimized code of this long loop inlined the callback
 * with its closure as a constant, and that closure's `json` (a whole parse's text, 4 MB after an
 * 8,000-statement file) stayed alive until the next lint replaced the code (test/linter/retention.test.ts).
 */
export function parseJsonEntries(json: string): number[] | null {
  const OPEN = '"stmts":['
  const ENTRY = '{"stmt":'
  const LEN = ',"stmt_len":'
  const LOCATION = ',"stmt_location":'
  /** The non-negative integer written in json[from, to); -1 if that is not one. */
  const digitsAt = (from: number, to: number): number => {
    if (from >= to) return -1
    let n = 0
    for (let i = from; i < to; i++) {
      const d = json.charCodeAt(i) - 0x30
      if (d < 0 || d > 9) return -1
      n = n * 10 + d
    }
    return n
  }
  const entries: number[] = []
  const open = json.indexOf(OPEN)
  if (open === -1) return json.startsWith('{"version":') && !json.includes('"stmts"') ? entries : null
  if (!json.endsWith(']}')) return null
  const stop = json.length - 2
  let pos = open + OPEN.length
  while (pos < stop) {
    const lenAt = json.indexOf(LEN, pos)
    const close = lenAt === -1 ? stop - 1 : json.indexOf('}', lenAt)
    if (json.charCodeAt(close) !== 0x7d || !json.startsWith(ENTRY, pos)) return null
    const fieldsEnd = lenAt === -1 ? close : lenAt
    const locationAt = json.lastIndexOf(LOCATION, fieldsEnd)
    const hasLocation = locationAt > pos
    const location = hasLocation ? digitsAt(locationAt + LOCATION.length, fieldsEnd) : 0
    const length = lenAt === -1 ? 0 : digitsAt(lenAt + LEN.length, close)
    const start = pos + ENTRY.length
    if (location < 0 || length < 0 || json.charCodeAt(start) !== 0x7b) return null
    entries.push(start, hasLocation ? locationAt : fieldsEnd, location, length)
    // Past the entry's `}` and the `,` before the next one.
    pos = close + 2
  }
  return entries
}

/**
 * The node type of a statement's tree `{"IndexStmt":{...}}`: its first key. Taken from the
 * statement's own text: cut straight from the whole parse's text, the names kept that text alive
 * from one lint to the next (4 MB after an 8,000-statement file; test/linter/retention.test.ts).
 */
export function statementKindOf(stmtJson: string): string {
  return stmtJson.charCodeAt(1) === 0x22 ? stmtJson.slice(2, stmtJson.indexOf('"', 2)) : 'Unknown'
}
