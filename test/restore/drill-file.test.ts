import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normalizeDrillOptions } from '../../src/restore/drill-options.js'
import { loadDrillFile } from '../../src/restore/load-drill-file.js'
import { runDrill } from '../../src/restore/run-drill.js'
import type { TableReference } from '../../src/restore/types.js'

describe('drill files', () => {
  it('loads the YAML example with paths relative to the file and the reference read from its JSON', () => {
    const options = loadDrillFile('fixtures/drills/accidental-deletion.yaml')
    expect(options.source).toEqual({ kind: 'base-backup', backupDir: resolve('backups/base-2026-11-01'), archiveDir: resolve('backups/wal-archive') })
    expect(options.target).toEqual({ type: 'time', value: '2026-11-25T14:01:59Z' })
    expect((options.reference as TableReference | undefined)?.tables['public.orders'].rows).toBe(4211)
    expect(options.historyFile).toBe(resolve('fixtures/drills/drill-history.jsonl'))
    expect(normalizeDrillOptions(options).scenario).toBe('accidental-deletion')
  })

  it('loads the JSON example; full loss defaults to the latest target', () => {
    const options = normalizeDrillOptions(loadDrillFile('fixtures/drills/full-loss.json'))
    expect(options.target).toEqual({ type: 'latest' })
    expect(options.targets).toEqual({ rtoSeconds: 3600, rpoSeconds: 300 })
  })

  it('names the line of an unknown option', () => {
    expect(() => loadDrillFile('fixtures/drills/bad-unknown-key.yaml')).toThrow(expect.objectContaining({
      code: 'KDB_DRILL_FILE', line: 6, message: 'unknown drill option "tagret"',
    }))
  })

  it('names the line of a syntax error', () => {
    expect(() => loadDrillFile('fixtures/drills/bad-syntax.yaml')).toThrow(expect.objectContaining({ code: 'KDB_DRILL_FILE', kind: 'input', line: expect.any(Number) }))
  })
})

describe('normalizeDrillOptions', () => {
  const source = { kind: 'base-backup' as const, backupDir: '/b', archiveDir: '/a' }
  it.each([
    [{ source, scenario: 'accidental-deletion' as const }, /needs a target before the deletion/],
    [{ source, target: { type: 'time' as const, value: 'yesterday' } }, /is not a timestamp/],
    [{ source, target: { type: 'lsn' as const, value: '12' } }, /is not an LSN/],
    [{ source, target: { type: 'latest' as const }, targets: { rtoSeconds: -1 } }, /RTO target: -1 is not a positive number of seconds/],
    [{ source, target: { type: 'latest' as const }, targets: { rpoSeconds: 0 }, timeoutSeconds: 0 }, /timeoutSeconds: 0 is not a positive number of seconds/],
    [{ source: { kind: 'pgbackrest' as const, stanza: '' } }, /needs a stanza/],
    [{ source: { kind: 'barman' as const, server: '' } }, /barman source needs a server/],

  ])('rejects bad options with a usage error (%#)', (options, message) => {
    expect(() => normalizeDrillOptions(options)).toThrow(message)
  })

  it('the corruption scenario always runs amcheck', () => {
    expect(normalizeDrillOptions({ source, scenario: 'corruption', amcheck: false }).amcheck).toBe(true)
  })
})

describe('a backup tool\'s configuration file that does not exist', () => {
  it.each([
    [{ kind: 'barman' as const, server: 'pg', config: '/nonexistent/barman.conf' }, 'barman'],
    [{ kind: 'pgbackrest' as const, stanza: 'main', config: '/nonexistent/pgbackrest.conf' }, 'pgbackrest'],
  ])('is an input error naming it, before the tool runs (%#)', async (source, tool) => {
    await expect(runDrill({ source, target: { type: 'latest' } })).rejects.toMatchObject({
      code: 'KDB_DRILL_NO_CONFIG', file: source.config, message: `the ${tool} configuration file ${source.config} does not exist`,
    })
  })
})
