/** Maps byte offsets of a UTF-8 text to 1-based lines and character columns. */
export class SourceMap {
  readonly bytes: Buffer
  private readonly lineStarts: number[] = [0]
  /** Pure ASCII: byte offsets are string offsets, so spans and text come from the string itself. */
  private readonly ascii: boolean
  /** The 0-based line of the last lineOf answer. */
  private lastLine = 0

  constructor(readonly source: string) {
    this.bytes = Buffer.from(source, 'utf8')
    this.ascii = this.bytes.length === source.length
    // indexOf is native: a byte loop runs cold (interpreted) in a one-shot CLI run over a 2 MB file.
    if (this.ascii) for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1)
    else for (let i = this.bytes.indexOf(0x0a); i !== -1; i = this.bytes.indexOf(0x0a, i + 1)) this.lineStarts.push(i + 1)
  }

  lineOf(byte: number): number {
    // Statements are read in order, a few lines apart: look just after the last answer first.
    const starts = this.lineStarts
    for (let line = this.lastLine, steps = 0; line < starts.length && starts[line] <= byte && steps < 8; line++, steps++) {
      if (line + 1 === starts.length || starts[line + 1] > byte) return (this.lastLine = line) + 1
    }
    return (this.lastLine = this.searchLine(byte)) + 1
  }

  /** The 0-based line of `byte`, by binary search. */
  private searchLine(byte: number): number {
    let lo = 0
    let hi = this.lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.lineStarts[mid] <= byte) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /** 1-based column counted in characters (code points), not bytes. */
  columnOf(byte: number): number {
    return this.columnOn(this.lineOf(byte), byte)
  }

  /** columnOf for a byte whose 1-based line is known. */
  columnOn(line: number, byte: number): number {
    const start = this.lineStarts[line - 1]
    // Most statements start a line: no text to count.
    if (byte <= start) return 1
    if (this.ascii) return byte - start + 1
    return [...this.bytes.subarray(start, byte).toString('utf8')].length + 1
  }

  slice(start: number, end: number): string {
    return this.ascii ? this.source.slice(start, end) : this.bytes.subarray(start, end).toString('utf8')
  }

  /** Byte offset of a 0-based character offset (the parser reports error cursors in characters). */
  byteOfChar(charOffset: number): number {
    return Buffer.byteLength([...this.source].slice(0, charOffset).join(''), 'utf8')
  }
}
