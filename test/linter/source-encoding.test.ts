import { describe, expect, it } from 'vitest'
import { lint } from '../../src/linter/lint.js'
import { byteOrderMark, decodeMigration } from '../../src/linter/source-encoding.js'

const problemAt = (bytes: number[]) => {
  const decoded = decodeMigration(Buffer.from(bytes))
  return 'problem' in decoded ? [decoded.problem.line, decoded.problem.column] : null
}

describe('a migration file Postgres could not read', () => {
  it('passes UTF-8 through, multi-byte characters included', () => {
    const text = 'SELECT \'café\', \'日本\', \'🐘\';\n'
    expect(decodeMigration(Buffer.from(text))).toEqual({ text })
  })

  it('places the first byte that is not UTF-8: a stray byte, a sequence cut short, overlong forms, surrogates', () => {
    const a = [...Buffer.from('SELECT 1;\nSELECT ')]
    expect(problemAt([...a, 0xe9, 0x31])).toEqual([2, 8])
    expect(problemAt([...a, 0xe2, 0x82])).toEqual([2, 8])
    expect(problemAt([...a, 0xc0, 0x80])).toEqual([2, 8])
    expect(problemAt([...a, 0xed, 0xa0, 0x80])).toEqual([2, 8])
    expect(problemAt([...a, 0xf4, 0x90, 0x80, 0x80])).toEqual([2, 8])
    // Columns count characters, not bytes.
    expect(problemAt([...Buffer.from('-- é '), 0xff])).toEqual([1, 6])
    const decoded = decodeMigration(Buffer.from([0x41, 0xe9]))
    expect('problem' in decoded && decoded.problem.message).toMatch(/^not valid UTF-8 \(byte 0xE9\): Postgres rejects it/)
  })

  it('finds a byte order mark at the start only', () => {
    expect(byteOrderMark('\uFEFFSELECT 1')).toMatchObject({ line: 1, column: 1 })
    expect(byteOrderMark('SELECT \'\uFEFF\'')).toBeNull()
  })

  it('lint() checks bytes as it checks a file\'s', async () => {
    const bad = await lint(Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0xe9]), { path: 'm.sql' })
    expect(bad.files[0].error).toMatchObject({ line: 1, column: 8, message: expect.stringContaining('not valid UTF-8') })
    const good = await lint(new TextEncoder().encode('CREATE INDEX i ON t (a);'), { path: 'm.sql' })
    expect(good.files[0].statements[0]).toMatchObject({ verdict: 'risky', text: 'CREATE INDEX i ON t (a)' })
  })

  it('lint() reports a byte order mark as the file error, and lints an empty text as no statements', async () => {
    const bom = await lint('\uFEFFCREATE INDEX i ON t (a);', { path: 'm.sql' })
    expect(bom.files[0].error).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('byte order mark') })
    expect(bom.summary).toMatchObject({ statements: 0, errors: 1 })
    const empty = await lint('', { path: 'm.sql' })
    expect(empty.files[0].error).toBeNull()
    expect(empty.summary).toMatchObject({ statements: 0, errors: 0 })
  })
})
