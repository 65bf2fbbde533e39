import { parseToJson } from './pg-parser.js'
import type { ParsedStatement } from './parse.js'
import { startTailParse, type PartStart, type TailParse } from './parse-tail.js'
import type { SourceMap } from './source-map.js'
import { statementsOfCutJson, statementsOfJson } from './statements-of-json.js'

/** The parts do not give the whole-file parse (a part does not parse): the caller parses the file whole. */
export class WholeParseNeeded extends Error {
  constructor() {
    super('the file is parsed whole')
    this.name = 'WholeParseNeeded'
  }
}

/** What the linter walks: a file's statements in order, and all of them for rules that look ahead. */
export interface StatementSource {
  /** True when the file has a statement `index` (blocks until it is parsed). */
  has(index: number): boolean
  at(index: number): ParsedStatement
  /** Every statement of the file (blocks until the whole file is parsed). */
  all(): readonly ParsedStatement[]
}

export function arraySource(statements: readonly ParsedStatement[]): StatementSource {
  return { has: (index) => index < statements.length, at: (index) => statements[index], all: () => statements }
}

/**
 * A large file's statements while a worker still parses them (parse-tail.ts): the head this thread
 * parsed, then each part of the worker's as it is asked for. Throws WholeParseNeeded from `has` and
 * `all` when the rest of the file does not parse.
 */
export class StatementStream implements StatementSource {
  private readonly statements: ParsedStatement[]
  /** The next of the worker's parts to take. */
  private part = 0
  private done = false
  /** Whether this thread parsed the end of the file itself, a part of the worker's not being sound. */
  restParsedHere = false

  private constructor(private readonly sql: string, private readonly map: SourceMap, private readonly tail: TailParse, head: ParsedStatement[]) {
    this.statements = head
  }

  /** Starts the worker and parses the head; null when the file cannot be cut or the head's cut cannot be trusted. */
  static start(sql: string, map: SourceMap, cuts?: number[]): StatementStream | null {
    const tail = startTailParse(sql, cuts)
    return tail ? StatementStream.begin(sql, map, tail) : null
  }

  /** Parses the head before the worker's first part; null (the worker stopped) when the head's cut cannot be trusted. */
  static begin(sql: string, map: SourceMap, tail: TailParse): StatementStream | null {
    const end = tail.starts[0]
    let head: ParsedStatement[] | null = null
    try {
      head = statementsOfJson(parseToJson(sql.slice(0, end.char)), map)
    } catch {
      // A parse error: the whole file is parsed again for the error's position.
    }
    if (!head || !endsAt(head, end)) {
      tail.close()
      return null
    }
    return new StatementStream(sql, map, tail, head)
  }

  has(index: number): boolean {
    while (index >= this.statements.length && !this.done) this.take()
    return index < this.statements.length
  }

  at(index: number): ParsedStatement {
    return this.statements[index]
  }

  all(): readonly ParsedStatement[] {
    while (!this.done) this.take()
    return this.statements
  }

  close(): void {
    this.tail.close()
  }

  /** Appends the worker's next part, or, when it is not sound, this thread's parse of everything from its start. */
  private take(): void {
    const k = this.part++
    const start = this.tail.starts[k]
    const end = this.tail.starts[k + 1]
    const parsed = this.tail.next()
    const first = this.statements.length
    let part = !parsed ? null : parsed.entries ? statementsOfCutJson(parsed.json, parsed.entries, this.map, first) : statementsOfJson(parsed.json, this.map, first)
    if (part && end && !endsAt(part, end)) part = null
    if (part) this.done = !end
    else {
      this.tail.close()
      part = this.parseRest(start)
    }
    for (let i = 0; i < part.length; i++) this.statements.push(part[i])
  }

  /** Everything from `start` to the end of the file, parsed here, behind spaces as the worker does. */
  private parseRest(start: PartStart): ParsedStatement[] {
    this.done = true
    this.restParsedHere = true
    try {
      return statementsOfJson(parseToJson(' '.repeat(start.byte) + this.sql.slice(start.char)), this.map, this.statements.length)
    } catch {
      throw new WholeParseNeeded()
    }
  }
}

/**
 * A cut is sound only if the parser ended the part's last statement at the cut's `;` (not a `;` in a
 * comment after it): then parsing on from there is exactly what the whole-file parse does.
 * Statements start at their first token (comments before them are not part of them), in a part as
 * in the whole file; the spaces in front of a part keep the byte offsets whole.
 */
function endsAt(part: ParsedStatement[], cut: PartStart): boolean {
  const last = part[part.length - 1]
  return last !== undefined && last.byteEnd === cut.byte - 1
}
