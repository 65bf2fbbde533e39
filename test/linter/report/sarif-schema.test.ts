import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import AjvDraft04 from 'ajv-draft-04'
import { describe, expect, it } from 'vitest'
import { lint, lintFiles } from '../../../src/linter/lint.js'
import { formatReport } from '../../../src/linter/report/index.js'

// The package is CommonJS with the class as module.exports and as .default; its types know only .default.
const Ajv = AjvDraft04.default

// The official SARIF 2.1.0 (rtm.5) schema, shipped as a fixture so the check needs no network. Its
// language pattern is not valid in Unicode mode, and uri formats are left unchecked (no ajv-formats).
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/sarif/sarif-2.1.0-rtm.5.json'), 'utf8'))
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema)

function check(sarif: string) {
  const ok = validate(JSON.parse(sarif))
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([])
  expect(ok).toBe(true)
}

describe('SARIF output', () => {
  it('is checked by a validator that rejects invalid SARIF', () => {
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false)
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: {} , level: 'fatal' }] }] })).toBe(false)
  })

  it('is valid SARIF 2.1.0 for findings, notices and ignored findings', async () => {
    const sql = [
      '-- koinonia-db-ignore ban-drop-column: the column was unused for a year',
      'ALTER TABLE users DROP COLUMN legacy;',
      'CREATE INDEX users_email_idx ON users (email);',
      'ALTER TABLE "Ü" RENAME COLUMN a TO b; -- koinonia-db-ignore require-lock-timeout',
    ].join('\n')
    check(formatReport(await lint(sql, { path: 'migrations/001.sql' }), 'sarif', { cwd: process.cwd() }))
  })

  it('is valid SARIF 2.1.0 for the example Prisma project and for a file that does not parse', async () => {
    const result = await lintFiles([join(import.meta.dirname, '../../../fixtures/prisma-app/prisma/migrations')])
    check(formatReport(result, 'sarif', { cwd: process.cwd() }))
    check(formatReport(await lint('CREATE TABLE (', { path: 'bad.sql' }), 'sarif', { cwd: process.cwd() }))
  })

  it('is valid SARIF 2.1.0 when nothing is found', async () => {
    check(formatReport(await lint('SELECT 1;', { path: 'ok.sql' }), 'sarif', { cwd: process.cwd() }))
  })
})
