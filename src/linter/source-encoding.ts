import { isUtf8 } from 'node:buffer'
import { SourceMap } from './source-map.js'

/**
 * What in a migration's bytes Postgres rejects before parsing anything, as a lint error at its
 * place (a file report's `error`), so the run names the file, the line and the fix instead of a
 * parse error at an invisible character or a lint of text that is not what the file says.
 */
export interface EncodingProblem {
  message: string
  line: number
  column: number
}

/**
 * The file's text, or what keeps Postgres from reading it: bytes that are not UTF-8 (decoded as
 * such they would become U+FFFD, and the lint would judge text the file does not hold; Postgres
 * answers `invalid byte sequence for encoding "UTF8"`, and Prisma cannot read the file at all).
 */
export function decodeMigration(bytes: Buffer): { text: string } | { problem: EncodingProblem } {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8') }
  const at = Math.min(firstInvalidByte(bytes), bytes.length - 1)
  // Everything before it is UTF-8: its lines and columns are counted as every span's are.
  const map = new SourceMap(bytes.subarray(0, at).toString('utf8'))
  const [line, column] = [map.lineOf(at), map.columnOf(at)]
  const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0')
  return {
    problem: {
      message: `not valid UTF-8 (byte 0x${hex}): Postgres rejects it with "invalid byte sequence for encoding UTF8"; convert the file to UTF-8, e.g. iconv -f LATIN1 -t UTF-8`,
      line,
      column,
    },
  }
}

/** A byte order mark at the start: Postgres reads it as part of the first word and fails with a syntax error. */
export function byteOrderMark(text: string): EncodingProblem | null {
  if (text.charCodeAt(0) !== 0xfeff) return null
  return {
    message: 'starts with a UTF-8 byte order mark (BOM), which Postgres reads as part of the first word: a syntax error when the migration runs; save the file as UTF-8 without a BOM',
    line: 1,
    column: 1,
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
    if (length === 0) return i
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    const second = bytes[i + 1]
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i
    i += length
  }
  return bytes.length
}
