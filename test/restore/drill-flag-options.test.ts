import { describe, expect, it } from 'vitest'
import { expandDrillFlags, givesSource, structuredSets } from '../../src/restore/drill-flag-options.js'
import type { DrillOptions } from '../../src/restore/types.js'

const structured: DrillOptions = {
  source: { kind: 'base-backup', backupDir: '/b', archiveDir: '/a' },
  target: { type: 'time', value: '2026-11-26 01:00:00+00' },
}

describe('the drill flags as flat API options fold into the structured ones', () => {
  it('a backup is given by a structured source or any flat source option', () => {
    expect(givesSource(structured)).toBe(true)
    expect(givesSource({ archiveDir: '/a' })).toBe(true)
    expect(givesSource({ stanza: 'main' })).toBe(true)
    expect(givesSource({ barmanServer: 'pg' })).toBe(true)
    expect(givesSource({ targetLatest: true, history: 'h.jsonl', rtoTarget: 60 })).toBe(false)
  })

  it('a flat source field replaces only that field of a structured source of the same kind', () => {
    expect(expandDrillFlags({ ...structured, archiveDir: '/gap' }).source).toEqual({ kind: 'base-backup', backupDir: '/b', archiveDir: '/gap', restoreCommand: undefined })
    expect(expandDrillFlags({ ...structured, restoreCommand: 'false' }).source).toEqual({ kind: 'base-backup', backupDir: '/b', archiveDir: '/a', restoreCommand: 'false' })
    expect(expandDrillFlags({ source: { kind: 'pgbackrest', stanza: 'main', config: '/etc/pgbackrest.conf' }, set: '20261126-010000F' }).source)
      .toEqual({ kind: 'pgbackrest', stanza: 'main', config: '/etc/pgbackrest.conf', set: '20261126-010000F' })
    expect(expandDrillFlags({ source: { kind: 'barman', server: 'pg', config: '/etc/barman.conf' }, backupId: '20261126T010000' }).source)
      .toEqual({ kind: 'barman', server: 'pg', config: '/etc/barman.conf', backupId: '20261126T010000' })
    expect(expandDrillFlags({ barmanServer: 'pg' }).source).toEqual({ kind: 'barman', server: 'pg', config: undefined, backupId: undefined })
  })

  it('flat targets, markers, RTO/RPO and history become the structured options, and the flat keys are gone', () => {
    const out = expandDrillFlags({ backupDir: '/b', archiveDir: '/a', targetLatest: true, markerPresent: ['SELECT 1'], rtoTarget: 60, rpoTarget: 5, history: 'h.jsonl', timeout: 30 })
    expect(out).toMatchObject({
      source: { kind: 'base-backup', backupDir: '/b', archiveDir: '/a' }, target: { type: 'latest' },
      markers: [{ sql: 'SELECT 1', expect: 'present' }], targets: { rtoSeconds: 60, rpoSeconds: 5 }, historyFile: 'h.jsonl', timeoutSeconds: 30,
    })
    expect(Object.keys(out)).not.toContain('backupDir')
    expect(expandDrillFlags(out)).toEqual(out)
  })

  it('two recovery targets are a usage error', () => {
    expect(() => expandDrillFlags({ ...structured, targetLatest: true, targetName: 'before-deploy' })).toThrow(/one recovery target/)
  })

  it('knows which structured option a flat one would override (a drill file wins over the config)', () => {
    expect(structuredSets(structured, 'archiveDir')).toBe(true)
    expect(structuredSets(structured, 'targetLatest')).toBe(true)
    expect(structuredSets(structured, 'rtoTarget')).toBe(false)
    expect(structuredSets({ targets: { rtoSeconds: 60 } }, 'rtoTarget')).toBe(true)
    expect(structuredSets({ amcheck: false }, 'noAmcheck')).toBe(true)
    expect(structuredSets({ markers: [{ sql: 'SELECT 1', expect: 'present' }] }, 'markerPresent')).toBe(false)
    expect(structuredSets({ keep: true }, 'keep')).toBe(true)
  })
})
