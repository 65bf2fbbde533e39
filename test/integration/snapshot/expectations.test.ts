import { describe, expect, it } from 'vitest'
import { parseExpectations, rowsChangeAllowed } from '../../../src/snapshot/expectations.js'

describe('koinonia-db-expect comments', () => {
  it('parses every form, with SQL identifier rules', () => {
    const sql = [
      'ALTER TABLE x ADD COLUMN y int;',
      '-- koinonia-db-expect: rows "Contact" -10%',
      '-- koinonia-db-expect: rows contact +500',
      '  --koinonia-db-expect: rows "Contact" any',
      '-- koinonia-db-expect: column "User"."name" changes',
      '-- koinonia-db-expect: column "crm"."User"."name" dropped',
      '-- koinonia-db-expect: table "Legacy" dropped',
      '-- koinonia-db-expect: rewrite public."Contact"',
    ].join('\n')
    expect(parseExpectations(sql, 'm.sql')).toEqual([
      { kind: 'rows', table: 'Contact', change: { direction: '-', amount: 10, percent: true } },
      { kind: 'rows', table: 'contact', change: { direction: '+', amount: 500, percent: false } },
      { kind: 'rows', table: 'Contact', change: { direction: 'any', amount: 0, percent: false } },
      { kind: 'column-changes', table: 'User', column: 'name' },
      { kind: 'column-dropped', table: 'crm.User', column: 'name' },
      { kind: 'table-dropped', table: 'Legacy' },
      { kind: 'rewrite', table: 'Contact' },
    ])
  })

  it.each([
    ['-- koinonia-db-expect: rows "Contact" fewer', /rows "Table" -N%/],
    ['-- koinonia-db-expect: column "User" changes', /column "Table"."column"/],
    ['-- koinonia-db-expect: delete "User"', /unknown expectation "delete"/],
    ['-- koinonia-db-expect:', /expected a table name/],
  ])('rejects %s with the file and line', (line, message) => {
    let error: unknown
    try {
      parseExpectations(`SELECT 1;\n${line}\n`, 'migrations/002.sql')
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'KDB_EXPECT_SYNTAX', kind: 'input', file: 'migrations/002.sql', line: 2, message: expect.stringMatching(message) })
  })

  it('bounds row changes by direction and size', () => {
    const e = parseExpectations('-- koinonia-db-expect: rows "T" -10%', 'x.sql')
    expect(rowsChangeAllowed(e, 'T', 1000, 900)).toBe(true)
    expect(rowsChangeAllowed(e, 'T', 1000, 899)).toBe(false)
    expect(rowsChangeAllowed(e, 'T', 1000, 1001)).toBe(false)
    expect(rowsChangeAllowed(e, 'Other', 1000, 999)).toBe(false)
    expect(rowsChangeAllowed([], 'T', 5, 5)).toBe(true)
  })
})
