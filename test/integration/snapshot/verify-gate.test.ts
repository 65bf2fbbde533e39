import { describe, expect, it } from 'vitest'
import { renderVerifyJson } from '../../../src/snapshot/report-json.js'
import { renderVerifyMarkdown } from '../../../src/snapshot/report-markdown.js'
import { renderVerifyPretty } from '../../../src/snapshot/report-pretty.js'
import { verify } from '../../../src/snapshot/verify.js'
import { INIT, sqlProject, TEST_PROVIDER } from './project.js'

const run = (root: string, extra: Parameters<typeof verify>[0] = {}) =>
  verify({ cwd: root, provider: TEST_PROVIDER, rows: 500, seed: 3, applied: '1', ...extra })

describe('verify gate', () => {
  it('passes a safe migration with a correct down migration', async () => {
    using project = sqlProject([INIT, {
      name: '002_add_email',
      up: 'ALTER TABLE contact ADD COLUMN email text;\nCREATE TABLE campaign (id serial PRIMARY KEY, church_id integer REFERENCES church(id));\nALTER TABLE contact ADD COLUMN email2 text;\n',
      down: 'DROP TABLE campaign;\nALTER TABLE contact DROP COLUMN email, DROP COLUMN email2;\n',
    }])
    const result = await run(project.root)
    expect(result.reasons).toEqual([])
    expect(result.verdict).toBe('pass')
    expect(result.migrations[0].status).toBe('applied')
    expect(result.migrations[0].statements[0].locks).toEqual(['AccessExclusiveLock on "contact"'])
    expect(result.migrations[0].statements[0].rewrote).toEqual([])
    // The second ALTER needs the lock the first one already holds: nothing new, and no false disagreement.
    expect(result.migrations[0].statements[2].locks).toEqual([])
    expect(result.migrations[0].statements.flatMap((s) => s.disagreements)).toEqual([])
    expect(result.tables.find((t) => t.name === 'contact')).toMatchObject({ rowsBefore: 500, rowsAfter: 500, fingerprintMatch: true })
    expect(result.tables.find((t) => t.name === 'campaign')).toMatchObject({ status: 'new' })
    expect(result.rollback).toMatchObject({ ran: true, schemaMatches: true, dataMatches: true })
    expect(result.dataLoss).toEqual([])
    const markdown = renderVerifyMarkdown(result)
    expect(markdown).toContain('### koinonia-db verify: ✅ pass')
    expect(markdown).toMatch(/\| 002_add_email \| 1 \| `ALTER TABLE contact ADD COLUMN email text` \| [\d.]+ \| AccessExclusiveLock on "contact" \|/)
    expect(renderVerifyPretty(result)).toMatch(/^koinonia-db verify: PASS — 1 pending migration/)
    expect(JSON.parse(renderVerifyJson(result))).toEqual(JSON.parse(JSON.stringify(result)))
  })

  it('fails on a dropped column that held data, and passes when the loss is declared', async () => {
    const drop = { name: '002_drop_nickname', up: 'ALTER TABLE contact DROP COLUMN nickname;\n', down: 'ALTER TABLE contact ADD COLUMN nickname text;\n' }
    using project = sqlProject([INIT, drop])
    const result = await run(project.root, { noRollback: true })
    const nonNull = result.dataLoss[0]?.values
    expect(result.verdict).toBe('fail')
    expect(result.dataLoss).toEqual([{ table: 'contact', column: 'nickname', values: nonNull, migration: '002_drop_nickname', declared: false }])
    // Synthetic nullable columns are ~90 % filled: the loss is the real count of non-null values.
    expect(nonNull).toBeGreaterThan(400)
    expect(nonNull).toBeLessThan(500)
    expect(result.reasons.join('\n')).toMatch(/data loss: column "contact"."nickname" lost \d+ non-null values/)
    // A one-statement file runs in autocommit: its locks come from the event trigger, and the baseline's
    // own full scans must not be charged to it.
    expect(result.migrations[0].statements[0]).toMatchObject({ lockSource: 'event-trigger', locks: ['AccessExclusiveLock on "contact"'], scanned: [] })

    using declared = sqlProject([INIT, { ...drop, up: `-- koinonia-db-expect: column "contact"."nickname" dropped\n${drop.up}` }])
    const ok = await run(declared.root, { noRollback: true })
    expect(ok.reasons).toEqual([])
    expect(ok.dataLoss[0]).toMatchObject({ column: 'nickname', declared: true })
  })

  it('fails when a migration moves a sequence backwards', async () => {
    using project = sqlProject([INIT, {
      name: '002_reset_sequence', up: "SELECT setval('contact_id_seq', 1);\n", down: "SELECT setval('contact_id_seq', 500);\n",
    }])
    const result = await run(project.root)
    expect(result.verdict).toBe('fail')
    expect(result.reasons).toContain('sequence "contact_id_seq" moved back: next value 2 instead of 501; new rows would reuse existing keys')
  })

  it('reports a failing statement with the Postgres error and its line', async () => {
    using project = sqlProject([INIT, {
      name: '002_bad',
      up: 'ALTER TABLE contact ADD COLUMN email text;\nALTER TABLE contact ALTER COLUMN nickname SET NOT NULL;\n',
      down: 'ALTER TABLE contact DROP COLUMN email;\n',
    }])
    const result = await run(project.root)
    expect(result.verdict).toBe('fail')
    const m = result.migrations[0]
    expect(m.status).toBe('failed')
    expect(m.error).toMatchObject({ statementIndex: 1, line: 2, code: '23502' })
    expect(m.error?.message).toMatch(/nickname.*contains null values/)
    expect(m.error?.statement).toMatch(/SET NOT NULL/)
    // Single-query mode: the failure rolled the whole file back, so nothing changed.
    expect(result.tables.every((t) => t.fingerprintMatch)).toBe(true)
    expect(result.rollback.ran).toBe(false)
  })

  it('fails a down migration that restores the schema but loses the data', async () => {
    using project = sqlProject([INIT, {
      name: '002_widen_phone',
      up: 'ALTER TABLE contact ALTER COLUMN phone TYPE varchar(40);\n',
      // Drops and re-adds: the schema comes back, the values do not.
      down: 'ALTER TABLE contact DROP COLUMN nickname;\nALTER TABLE contact ADD COLUMN nickname text;\nALTER TABLE contact ALTER COLUMN phone TYPE varchar(20);\n',
    }])
    const result = await run(project.root)
    expect(result.verdict).toBe('fail')
    expect(result.rollback).toMatchObject({ ran: true, schemaMatches: true, dataMatches: false })
    expect(result.rollback.dataDifferences.join('\n')).toMatch(/"contact"."nickname" has 0 non-null values/)
    expect(result.reasons.join('\n')).toMatch(/after rollback the data differs/)
  })

  it('fails a rewrite of a large table and names the lock it held', async () => {
    using project = sqlProject([INIT, {
      name: '002_bigint_score',
      up: 'ALTER TABLE contact ALTER COLUMN score TYPE bigint;\n',
      down: 'ALTER TABLE contact ALTER COLUMN score TYPE integer;\n',
    }])
    const result = await run(project.root, { rows: 20_000, maxRewriteRows: 10_000 })
    const s = result.migrations[0].statements[0]
    expect(s.rewrote).toEqual(['contact'])
    expect(s.locks).toContain('AccessExclusiveLock on "contact"')
    expect(s.observed).toBe('risky')
    expect(result.verdict).toBe('fail')
    expect(result.reasons.join('\n')).toMatch(/rewrote "contact" \(20000 rows\) under AccessExclusiveLock/)
    // The data itself survived the rewrite, and the rollback proves it.
    expect(result.dataLoss).toEqual([])
    expect(result.rollback).toMatchObject({ schemaMatches: true, dataMatches: true })
  })
})
