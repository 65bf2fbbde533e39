import { describe, expect, it } from 'vitest'
import { drillTrend } from '../../src/restore/history.js'
import { drillToJson } from '../../src/restore/report/json.js'
import { drillToMarkdown } from '../../src/restore/report/markdown.js'
import { drillToPretty } from '../../src/restore/report/pretty.js'
import { recoveryFailure, refineFromLog } from '../../src/restore/watch-recovery.js'
import type { DrillResult } from '../../src/restore/types.js'

const result: DrillResult = {
  version: 1, drillId: 'd-1', scenario: 'accidental-deletion', verdict: 'fail', reason: 'marker: x: expected present, query returned 0 row(s) (not promoted)',
  startedAt: '2026-11-25T22:00:00.000Z', finishedAt: '2026-11-25T22:00:05.000Z',
  source: { kind: 'base-backup', location: '/srv/base', startLsn: '0/2000028', timeline: 1 },
  target: { type: 'time', value: '2026-11-25T21:59:00Z' },
  recovery: { promoted: false, lastReplayLsn: '0/3000100', walReplayedMB: 16, walReplayMBps: 160 },
  rtoSeconds: 5, rpoSeconds: 0.2, targets: { rtoSeconds: 1800, rpoSeconds: 300 },
  phases: [{ name: 'preflight', ms: 120 }, { name: 'fetch', ms: 15_500, detail: '40 MB' }],
  checks: [{ name: 'marker: x', ok: false, detail: 'expected present, query returned 0 row(s)' }, { name: 'a|b', ok: true, detail: 'pipes | escaped' }],
}

describe('drill reports', () => {
  it('JSON carries the documented contract and drops the live handle', () => {
    const json = JSON.parse(drillToJson({ ...result, kept: { url: 'postgres://x', port: 1, dataDir: '/d', stop: async () => undefined } }))
    expect(json).toMatchObject({ version: 1, verdict: 'fail', rtoSeconds: 5, rpoSeconds: 0.2, targets: { rtoSeconds: 1800, rpoSeconds: 300 } })
    expect(json.kept).toEqual({ url: 'postgres://x', port: 1, dataDir: '/d' })
  })

  it('pretty and markdown show the verdict, the reason, phases and checks', () => {
    const pretty = drillToPretty(result)
    expect(pretty).toContain('Restore drill d-1 (accidental-deletion): FAIL')
    expect(pretty).toContain('reason    marker: x')
    expect(pretty).toContain('phases    preflight 120 ms · fetch 15.5 s')
    expect(pretty).toContain('✗ marker: x: expected present')
    const md = drillToMarkdown(result)
    expect(md).toContain('| fetch | 15.5 s | 40 MB |')
    expect(md).toContain('| a\\|b | ✓ | pipes \\| escaped |')
  })

  it('trend compares the latest RTO with the median of the drills before it', () => {
    const history = [4, 5, 6, 10].map((rto, i) => ({ ...result, drillId: String(i), verdict: 'pass' as const, rtoSeconds: rto }))
    expect(drillTrend(history, result)).toEqual({ drills: 4, passed: 4, rtoSeconds: [4, 5, 6, 10], rpoSeconds: [0.2, 0.2, 0.2, 0.2], rtoChange: 2 })
  })
})

describe('recoveryFailure', () => {
  it('skips the FATALs our own polling causes and explains configuration errors', () => {
    const log = [
      'LOG:  starting PostgreSQL 15',
      'FATAL:  the database system is starting up',
      'LOG:  invalid value for parameter "recovery_target_time": "x"',
      'FATAL:  configuration file "/d/postgresql.auto.conf" contains errors',
    ].join('\n')
    expect(recoveryFailure(log)).toBe('invalid value for parameter "recovery_target_time": "x"; configuration file "/d/postgresql.auto.conf" contains errors')
  })
})

describe('refineFromLog', () => {
  const log = [
    '2026-11-25 22:39:25.659 UTC [16799] LOG:  starting PostgreSQL 15.18',
    '2026-11-25 22:39:25.700 UTC [16799] FATAL:  the database system is starting up',
    '2026-11-25 22:39:25.675 UTC [16802] LOG:  redo starts at 0/2000028',
    '2026-11-25 22:39:26.688 UTC [16802] LOG:  recovery stopping before commit of transaction 727, time 2026-11-25 22:39:24.607134+00',
    '2026-11-25 22:39:26.688 UTC [16802] LOG:  pausing at the end of recovery',
  ].join('\n')
  const start = Date.parse('2026-11-25T22:39:25.600Z')

  it('takes startup and redo from the log stamps, ignoring connection noise', () => {
    expect(refineFromLog({ outcome: 'paused', doneMs: 1300, redoStartMs: 200 }, log, start)).toMatchObject({ redoStartMs: 75, doneMs: 1088 })
  })

  it('keeps the polled times when the log has no stamps', () => {
    expect(refineFromLog({ outcome: 'paused', doneMs: 1300, redoStartMs: 200 }, 'LOG:  redo starts at 0/1', start)).toMatchObject({ redoStartMs: 200, doneMs: 1300 })
  })
})
