import { InputError } from '../errors.js'
import { ensureParser, parseStatements, SourceMap, SqlParseError, type ParsedStatement } from '../linter/parse.js'
import type { SplitStatement } from './types.js'

/** A statement with where it starts in the file, in characters (Postgres reports error positions in characters). */
export interface LocatedStatement extends SplitStatement {
  kind: string
  /** Transaction control written in the file itself, which the `transaction` strategy must honour. */
  transaction: 'begin' | 'commit' | 'rollback' | null
  /** 0-based character offset of the statement's first character in the file. */
  charStart: number
}

/** Loads the SQL parser (a WASM module). `splitStatements` needs it; discovery and apply call this. */
export const loadSqlParser = ensureParser

/**
 * The statements of a migration file, split by the real Postgres parser (so `;` inside strings,
 * dollar quotes and comments does not split). Requires `loadSqlParser()` to have resolved.
 * Throws KDB_MIGRATION_PARSE (input error) naming the file and line when the SQL does not parse.
 */
export function splitStatements(sql: string, file?: string): SplitStatement[] {
  return locateStatements(sql, file).map(({ index, text, line }) => ({ index, text, line }))
}

export function locateStatements(sql: string, file?: string): LocatedStatement[] {
  const map = new SourceMap(sql)
  let parsed: ParsedStatement[]
  try {
    parsed = parseStatements(sql, map)
  } catch (error) {
    if (error instanceof SqlParseError)
      throw new InputError('KDB_MIGRATION_PARSE', `${file ?? 'migration'} does not parse: ${error.message}`, {
        file, line: error.line, column: error.column, cause: error,
        hint: 'Fix the SQL at that line; Postgres would reject the migration too.',
      })
    throw error
  }
  return parsed
    .filter((s) => s.text.length > 0)
    .map((s, index) => ({
      index,
      text: s.text,
      line: s.line,
      kind: s.kind,
      transaction: transactionControl(s),
      charStart: [...map.slice(0, s.byteStart)].length,
    }))
}

/** 1-based line of a 0-based character (code point) offset, as Postgres counts error positions. */
export function lineOfChar(sql: string, charOffset: number): number {
  let line = 1
  let i = 0
  for (const ch of sql) {
    if (i++ >= charOffset) break
    if (ch === '\n') line++
  }
  return line
}

function transactionControl(s: ParsedStatement): LocatedStatement['transaction'] {
  if (s.kind !== 'TransactionStmt') return null
  const kind: string = s.stmt.TransactionStmt?.kind ?? ''
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return 'begin'
  if (kind === 'TRANS_STMT_COMMIT') return 'commit'
  if (kind === 'TRANS_STMT_ROLLBACK') return 'rollback'
  return null
}
