import { beforeAll, describe, expect, it } from 'vitest'
import { ColumnTypes } from '../../src/linter/column-types.js'
import { lintSource } from '../../src/linter/engine.js'
import { ensureParser, parseStatements, SourceMap } from '../../src/linter/parse.js'
import { fileURLToPath } from 'node:url'
import { adoptTailWorker, startTailParse, worthASecondThread } from '../../src/linter/parse-tail.js'
import { compiledPgParser, PG_PARSER_LOADER } from '../../src/linter/pg-parser.js'
import { cpuTimes, MIN_CHARS, secondCoreIdle } from '../../src/linter/second-core.js'
import { parseJsonEntries } from '../../src/linter/split-parse-json.js'
import { spawnTailWorker } from '../../src/linter/tail-worker.js'
import { StatementStream, WholeParseNeeded } from '../../src/linter/statement-stream.js'
import { plainStatements, sqlParseErrorOf, wholeTreeStatements } from '../helpers/parsed-statements.js'

beforeAll(() => ensureParser())

/** Statements of every shape around a cut: non-ASCII text, comments with `;`, bodies with `;` + newline. */
function filler(count: number, seed: string): string {
  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    parts.push(
      `-- step ${seed}${i}; the café ☕ table\nALTER TABLE "tëst_${seed}${i}" ADD COLUMN "naïve" varchar(40) DEFAULT 'é;x';\n`,
      `CREATE FUNCTION f_${seed}${i}() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n`,
      `/* block; comment */ CREATE INDEX "i_${seed}${i}" ON "t_${seed}${i}" (a);\n`,
    )
  }
  return parts.join('')
}

/** A stream cut at the given offsets; fails the test when the head's cut is refused. */
function streamOf(sql: string, cuts?: number[]): StatementStream {
  const stream = StatementStream.start(sql, new SourceMap(sql), cuts)
  if (!stream) throw new Error('the head was refused')
  return stream
}

/** All statements of a stream as plain values, the worker closed afterwards. */
function drained(stream: StatementStream) {
  try {
    return plainStatements([...stream.all()])
  } finally {
    stream.close()
  }
}

describe('parsing a large file on two threads while it is linted', () => {
  it('gives the statements, spans, text and trees of one whole-file parse, each part from the worker', () => {
    const sql = filler(400, 'a')
    const stream = streamOf(sql)
    expect(drained(stream)).toEqual(wholeTreeStatements(sql))
    expect(stream.restParsedHere).toBe(false)
  })

  it('the worker cuts each part into statements itself, as this thread would', () => {
    const sql = filler(200, 'a')
    const tail = startTailParse(sql)!
    try {
      for (let k = 0; k < tail.starts.length; k++) {
        const part = tail.next()!
        expect([...part.entries!]).toEqual(parseJsonEntries(part.json))
      }
    } finally {
      tail.close()
    }
  })

  it('a worker that fails after it started answers at once, and this thread parses the rest itself', () => {
    const sql = filler(400, 'a')
    const loader = fileURLToPath(new URL('../helpers/failing-parser-loader.cjs', import.meta.url))
    const started = performance.now()
    const stream = StatementStream.begin(sql, new SourceMap(sql), startTailParse(sql, undefined, loader)!)!
    expect(drained(stream)).toEqual(wholeTreeStatements(sql))
    expect(stream.restParsedHere).toBe(true)
    // The deadline for a silent worker is over 10 s.
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('hands out the head before the worker is asked for anything, and the rest one part at a time', () => {
    const a = filler(50, 'a')
    const b = filler(50, 'b')
    const sql = `${a}${b}${filler(50, 'c')}`
    const stream = streamOf(sql, [a.length, a.length + b.length])
    const whole = wholeTreeStatements(sql)!
    const headCount = whole.findIndex((s) => s.byteStart > Buffer.byteLength(a)) // the first after the head's cut
    expect(stream.has(headCount - 1)).toBe(true)
    expect(plainStatements([stream.at(0)])).toEqual([whole[0]])
    expect(stream.has(whole.length - 1)).toBe(true)
    expect(stream.has(whole.length)).toBe(false)
    expect(drained(stream)).toEqual(whole)
  })

  it('starts the first statement after a cut where the whole parse does, after its leading comments', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1;\n-- about the next one; really\n/* and more */ SELECT 2;\n${filler(200, 'b')}`
    // Cut at the first `;` + newline after `a`: the one after SELECT 1.
    const stream = streamOf(sql, [a.length])
    const statements = drained(stream)
    expect(statements).toEqual(wholeTreeStatements(sql))
    expect(statements!.some((s) => s.text === 'SELECT 2')).toBe(true)
    expect(stream.restParsedHere).toBe(false)
  })

  it('refuses a head cut at a `;` inside a comment, so a file that does not parse whole still fails', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1 -- note;\n${filler(200, 'b')}`
    expect(StatementStream.start(sql, new SourceMap(sql), [a.length])).toBeNull()
    expect(sqlParseErrorOf(() => parseStatements(sql))).toEqual(sqlParseErrorOf(() => wholeTreeStatements(sql)))
  })

  it('refuses a head cut after a comment that follows the last statement', () => {
    const a = filler(200, 'a')
    const sql = `${a}SELECT 1; -- note;\n${filler(200, 'b')}`
    expect(StatementStream.start(sql, new SourceMap(sql), [a.length])).toBeNull()
    expect(plainStatements(parseStatements(sql))).toEqual(wholeTreeStatements(sql))
  })

  it('cuts after function bodies, not at a `;` + newline inside one', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `  x := ${i};\n`).join('')
    const sql = `${filler(20, 'a')}CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n${body}END;\n$body$;\n${filler(20, 'b')}`
    const middle = sql.indexOf(body) + body.length / 2
    const stream = streamOf(sql, [middle, middle + 10])
    expect(drained(stream)).toEqual(wholeTreeStatements(sql))
    expect(stream.restParsedHere).toBe(false)
  })

  it('refuses a head cut inside a string (the head does not parse)', () => {
    const a = filler(20, 'a')
    const sql = `${a}SELECT 'one;\ntwo';\n${filler(20, 'b')}`
    expect(StatementStream.start(sql, new SourceMap(sql), [a.length])).toBeNull()
    expect(plainStatements(parseStatements(sql))).toEqual(wholeTreeStatements(sql))
  })

  it('parses the rest itself when a later cut falls inside a string or after a comment', () => {
    const a = filler(100, 'a')
    const b = `${a}${filler(20, 'b')}`
    const inString = `${b}SELECT 'one;\ntwo';\n${filler(100, 'c')}`
    const stringStream = streamOf(inString, [a.length, b.length])
    expect(drained(stringStream)).toEqual(wholeTreeStatements(inString))
    expect(stringStream.restParsedHere).toBe(true)

    const c = `${b}SELECT 1; -- note;\n`
    const afterComment = `${c}${filler(100, 'c')}`
    const commentStream = streamOf(afterComment, [a.length, c.length - 12])
    expect(drained(commentStream)).toEqual(wholeTreeStatements(afterComment))
    expect(commentStream.restParsedHere).toBe(true)
  })

  it('throws WholeParseNeeded for a parse error in the worker part, and the whole parse reports it in place', () => {
    const a = filler(200, 'a')
    const sql = `${a}${filler(100, 'b')}ALTER TABLE x ADD COLUMN;\n${filler(100, 'c')}`
    const stream = streamOf(sql, [a.length])
    expect(() => stream.all()).toThrow(WholeParseNeeded)
    stream.close()
    const error = sqlParseErrorOf(() => parseStatements(sql))
    expect(error).toEqual(sqlParseErrorOf(() => wholeTreeStatements(sql)))
    expect(error.line).toBeGreaterThan(1000)
  })

  it('lints a file whose later part does not parse as one that does not parse, leaving the history as it was', () => {
    const a = `CREATE TABLE "kept" ("a" varchar(10));\n${filler(200, 'a')}`
    const sql = `${a}CREATE TABLE "lost" ("b" varchar(10));\n${filler(100, 'b')}ALTER TABLE x ADD COLUMN;\n`
    const history = { columnTypes: new ColumnTypes() }
    const report = lintSource(sql, { path: 'big.sql', pgVersion: 15, prisma: null, history }, [a.length])
    expect(report.error?.line).toBeGreaterThan(1000)
    expect(report.statements).toEqual([])
    expect(history.columnTypes.toEntries()).toEqual([])
  })

  it('lints a file streamed in parts exactly as one parsed whole', () => {
    const sql = `${filler(150, 'a')}BEGIN;\nALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts;\nCOMMIT;\n${filler(150, 'b')}`
    const options = { path: 'big.sql', pgVersion: 15, prisma: null }
    const streamed = lintSource(sql, options, [sql.length * 0.1, sql.length * 0.4, sql.length * 0.7])
    const whole = lintSource(sql, options, null)
    expect(streamed).toEqual(whole)
    expect(whole.statements.length).toBe(904)
  })
})

describe('whether a second core is idle enough for the worker', () => {
  const look = (idle: number, total: number, cores = 2, own = 0) => ({ idle, total, cores, own })

  it('counts what other processes used of the cores between two looks, not this one', () => {
    // 30 ms on 2 cores, this process busy on a core and a half (its thread, V8's compile and GC
    // threads): nothing else ran, so the second core is free once this start is over.
    expect(secondCoreIdle(look(0, 0), look(15, 60, 2, 45), 3, 2)).toBe(true)
    expect(secondCoreIdle(look(0, 0), look(9, 60, 2, 51), 3, 2)).toBe(true)
    // Another process kept the second core busy.
    expect(secondCoreIdle(look(0, 0), look(10, 80, 2, 30), 0, 2)).toBe(false)
    expect(secondCoreIdle(look(100, 1000, 2, 10), look(100, 1080, 2, 50), 0, 2)).toBe(false)
    // Most of a core's worth used elsewhere on 4 cores still leaves two free.
    expect(secondCoreIdle(look(0, 0, 4), look(50, 160, 4, 70), 3.9, 4)).toBe(true)
  })

  it('asks the load average when the window is too short to count, or no core is listed', () => {
    expect(secondCoreIdle(look(0, 0), look(10, 20), 1.2, 2)).toBe(true)
    expect(secondCoreIdle(look(0, 0), look(10, 20), 1.9, 2)).toBe(false)
    expect(secondCoreIdle(look(0, 0, 0), look(0, 0, 0), 0.5, 2)).toBe(true)
  })
})

describe('a worker started ahead (the bin starts one for a large file before the CLI loads)', () => {
  const started = () => spawnTailWorker(compiledPgParser()!, PG_PARSER_LOADER)

  it('takes the next file\'s tail after a 2% head, in parts that grow, with the statements of one whole-file parse', () => {
    const sql = filler(400, 'a')
    adoptTailWorker(started(), cpuTimes())
    const tail = startTailParse(sql)!
    expect(tail.prestarted).toBe(true)
    expect(tail.starts[0].char / sql.length).toBeLessThan(0.03)
    const sizes = tail.starts.slice(1).map((s, k) => s.char - tail.starts[k].char)
    expect(sizes[1]).toBeGreaterThan(sizes[0])
    const stream = StatementStream.begin(sql, new SourceMap(sql), tail)!
    expect(drained(stream)).toEqual(wholeTreeStatements(sql))
    expect(stream.restParsedHere).toBe(false)
    // Taken once: the next file starts a worker of its own.
    const next = startTailParse(sql)!
    expect(next.prestarted).toBe(false)
    next.close()
  })

  it('is stopped, and the file parsed on one thread, when other processes took the second core since the bin started', async () => {
    const tail = started()
    const exited = new Promise((resolve) => tail.worker.once('exit', resolve))
    const now = cpuTimes()
    // Since the bin's look, every core was busy for two seconds, none of it ours.
    adoptTailWorker(tail, { ...now, total: now.total - 2000 * now.cores })
    expect(worthASecondThread('x'.repeat(MIN_CHARS))).toBe(false)
    await exited
    const next = startTailParse(filler(50, 'b'))!
    expect(next.prestarted).toBe(false)
    next.close()
  })
})
