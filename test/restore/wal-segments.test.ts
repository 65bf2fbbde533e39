import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { defaultRestoreCommand } from '../../src/restore/steps/recovery-settings.js'
import { checkContinuity, listWalArchive } from '../../src/restore/wal-archive.js'
import { formatLsn, parseLsn, parseSegmentName, segmentEndLsn, segmentForLsn, segmentName } from '../../src/restore/wal-segments.js'

describe('WAL segment names', () => {
  it.each([
    ['0/2000028', 1, '000000010000000000000002'],
    ['0/FFFFFFFF', 1, '0000000100000000000000FF'],
    ['1/0', 3, '000000030000000100000000'],
    ['A/3000148', 2, '000000020000000A00000003'],
  ])('LSN %s on timeline %i is in %s', (lsn, tl, name) => {
    expect(segmentForLsn(parseLsn(lsn), tl)).toBe(name)
    expect(segmentName(parseSegmentName(name))).toBe(name)
  })

  it('formats and parses LSNs both ways', () => {
    expect(formatLsn(parseLsn('16/B374D848'))).toBe('16/B374D848')
    expect(segmentEndLsn('0000000100000000000000FF')).toBe(parseLsn('1/0'))
    expect(() => parseLsn('16-B3')).toThrow(/not an LSN/)
  })

  it('crosses the log-id boundary when walking segments', () => {
    const segs = ['0000000100000000000000FE', '0000000100000000000000FF', '000000010000000100000000']
    expect(checkContinuity(segs, segs[0])).toEqual({ ok: true, last: segs[2], count: 3 })
  })
})

describe('checkContinuity', () => {
  const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => segmentName({ timeline: 1, segno: BigInt(from + i) }))

  it('names the first missing segment of a hole in the middle', () => {
    const segs = run(2, 9).filter((s) => !s.endsWith('05'))
    expect(checkContinuity(segs, segs[0])).toEqual({ ok: false, missing: '000000010000000000000005', last: '000000010000000000000004', count: 3 })
  })

  it('fails when the backup start segment itself is missing', () => {
    expect(checkContinuity(run(3, 5), '000000010000000000000002')).toMatchObject({ ok: false, missing: '000000010000000000000002', count: 0 })
  })

  it('ignores holes after the end it was asked about, and other timelines', () => {
    const segs = [...run(2, 4), '000000010000000000000007', '000000020000000000000009']
    expect(checkContinuity(segs, segs[0], '000000010000000000000004').ok).toBe(true)
    expect(checkContinuity(segs, segs[0]).missing).toBe('000000010000000000000005')
  })
})

describe('a WAL archive folder with compressed files', () => {
  it('lists plain and compressed segments and history files once each, and leaves partial and temporary files out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdb-test-archive-'))
    try {
      for (const f of ['000000010000000000000002', '000000010000000000000002.gz', '000000010000000000000003.gz', '000000010000000000000004.zst',
        '00000002.history.gz', '000000020000000000000005.partial', '000000020000000000000005.gz.tmp', 'archive_status', 'notes.txt.gz'])
        writeFileSync(join(dir, f), '')
      const listing = listWalArchive(dir)
      expect(listing.segments).toEqual(['000000010000000000000002', '000000010000000000000003', '000000010000000000000004'])
      expect(listing.histories).toEqual(['00000002.history'])
      // A plain file wins over its compressed twin.
      expect([...listing.files].sort()).toEqual([
        ['000000010000000000000003', '000000010000000000000003.gz'], ['000000010000000000000004', '000000010000000000000004.zst'], ['00000002.history', '00000002.history.gz'],
      ])
      expect(listing.compressions).toEqual(['gz', 'zst'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the default restore_command copies a plain file, else decompresses the compressed one, else fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdb-test-archive-'))
    try {
      writeFileSync(join(dir, 'plain'), 'one')
      writeFileSync(join(dir, 'packed.gz'), gzipSync('two'))
      const command = defaultRestoreCommand(dir, ['gz', 'zst'])
      const fetch = (f: string) => spawnSync('/bin/sh', ['-c', command.replaceAll('%f', f).replaceAll('%p', join(dir, 'out'))])
      expect(fetch('plain').status).toBe(0)
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('one')
      expect(fetch('packed').status).toBe(0)
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('two')
      expect(fetch('absent').status).toBe(1)
      expect(defaultRestoreCommand(dir)).toBe(`cp "${dir}/%f" "%p"`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
