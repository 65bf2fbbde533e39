import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { execOn } from '../../../src/postgres/cluster-handle.js'
import { chownToPostgres } from '../../../src/postgres/os-user.js'
import { safeArchiveCommand, setupArchiving } from '../../../src/restore/archiving.js'
import { archivedSource } from './archived-source.js'
import { startTestPostgres } from '../../helpers/pg.js'

describe('setupArchiving', () => {
  it('writes archive_mode and a safe archive_command with ALTER SYSTEM and says a restart is needed', async () => {
    await using server = await startTestPostgres()
    const root = mkdtempSync(join(tmpdir(), 'koinonia-test-archiving-'))
    try {
      chownToPostgres(root)
      const result = await setupArchiving({ url: server.url, archiveDir: join(root, 'wal') })
      expect(result.restartRequired).toBe(true)
      const rows = (await execOn(server.url, "SELECT name, setting FROM pg_file_settings WHERE name IN ('archive_mode', 'archive_command') AND applied IS NOT NULL ORDER BY seqno")).rows
      expect(Object.fromEntries(rows.map((r) => [r.name, r.setting]))).toEqual({ archive_mode: 'on', archive_command: safeArchiveCommand(join(root, 'wal')) })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('refuses an archive path that would need shell or config escaping', async () => {
    await expect(setupArchiving({ url: 'postgres://unused', archiveDir: "/tmp/it's here" })).rejects.toMatchObject({ code: 'KDB_DRILL_ARCHIVE_PATH' })
  })

  it('the archive_command archives, and refuses to overwrite a segment already archived', async () => {
    await using source = await archivedSource()
    const first = await source.flushArchive()
    expect(readdirSync(source.archiveDir)).toContain(first)
    expect(readdirSync(source.archiveDir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    // Run the command as Postgres would for the same segment again, from a different source file.
    writeFileSync(join(source.root, 'impostor'), 'not WAL')
    const command = safeArchiveCommand(source.archiveDir).replaceAll('%f', first).replaceAll('%p', join(source.root, 'impostor'))
    expect(() => execFileSync('/bin/sh', ['-c', command])).toThrow()
    expect(readFileSync(join(source.archiveDir, first)).length).toBe(16 * 1024 * 1024)
  })

  it('with compress: gzip, each segment is archived as <segment>.gz that decompresses to it, never overwritten; basic_archive cannot compress', async () => {
    await using server = await startTestPostgres()
    const root = mkdtempSync(join(tmpdir(), 'koinonia-test-archiving-'))
    try {
      chownToPostgres(root)
      const dir = join(root, 'wal')
      await setupArchiving({ url: server.url, archiveDir: dir, compress: 'gzip' })
      const command = safeArchiveCommand(dir, 'gzip')
      expect(command).toBe(`test ! -f ${dir}/%f.gz && gzip -c %p > ${dir}/%f.gz.tmp && mv ${dir}/%f.gz.tmp ${dir}/%f.gz`)
      // Run as Postgres would, on a file standing in for a segment.
      const segment = join(root, 'segment')
      writeFileSync(segment, Buffer.alloc(1 << 20, 7))
      const run = (from: string) => execFileSync('/bin/sh', ['-c', command.replaceAll('%f', '000000010000000000000009').replaceAll('%p', from)])
      run(segment)
      expect(readdirSync(dir)).toEqual(['000000010000000000000009.gz'])
      expect(gunzipSync(readFileSync(join(dir, '000000010000000000000009.gz')))).toEqual(readFileSync(segment))
      writeFileSync(join(root, 'impostor'), 'not WAL')
      expect(() => run(join(root, 'impostor'))).toThrow()
      expect(gunzipSync(readFileSync(join(dir, '000000010000000000000009.gz')))).toEqual(readFileSync(segment))
      await expect(setupArchiving({ url: server.url, archiveDir: dir, method: 'basic_archive', compress: 'gzip' })).rejects.toMatchObject({ code: 'KDB_DRILL_OPTIONS' })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('basic_archive (the Postgres 15 module) archives too', async () => {
    await using source = await archivedSource({}, 'basic_archive')
    expect((await source.sql('SHOW archive_library')).rows[0].archive_library).toBe('basic_archive')
    const seg = await source.flushArchive()
    expect(readdirSync(source.archiveDir)).toContain(seg)
  })
})
