import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { takeBaseBackup } from '../../../src/restore/base-backup.js'
import { runDrill } from '../../../src/restore/run-drill.js'
import { archivedSource } from './archived-source.js'

describe('data checksums', () => {
  it('a damaged heap page carried by the backup shows as checksum failures and fails the drill', async () => {
    await using source = await archivedSource({}, 'command', { checksums: true })
    expect((await source.sql('SHOW data_checksums')).rows[0].data_checksums).toBe('on')
    await source.sql('CREATE TABLE frozen (id int, note text)')
    await source.sql("INSERT INTO frozen SELECT g, 'row ' || g FROM generate_series(1, 200) g")
    await source.sql('SELECT count(*) FROM frozen') // set hint bits now, so nothing rewrites the page after the backup
    await source.sql('CHECKPOINT')
    const file = (await source.sql("SELECT pg_relation_filepath('frozen') AS p")).rows[0].p as string
    const backupDir = join(source.root, 'base')
    await takeBaseBackup({ url: source.server.url, targetDir: backupDir, method: 'low-level' })
    await source.flushArchive()
    rmSync(join(backupDir, 'koinonia_manifest.json')) // as if the backup tool kept no file checksums
    const fd = openSync(join(backupDir, file), 'r+')
    writeSync(fd, Buffer.from('bit rot'), 0, 7, 6000)
    closeSync(fd)

    const result = await runDrill({
      source: { kind: 'base-backup', backupDir, archiveDir: source.archiveDir }, scenario: 'corruption',
      assertions: [{ name: 'all rows readable', sql: 'SELECT count(*) = 200 FROM frozen' }],
    })
    expect(result.verdict).toBe('fail')
    expect(result.checks.find((c) => c.name === 'assertion: all rows readable')?.detail).toMatch(/invalid page in block 0/)
    expect(result.checks.find((c) => c.name === 'data checksums')).toMatchObject({ ok: false, detail: expect.stringMatching(/checksum failure/) })
  })
})
