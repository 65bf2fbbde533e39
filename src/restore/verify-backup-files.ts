import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { asPostgres } from '../postgres/os-user.js'
import type { DrillCheck } from './types.js'

const run = promisify(execFile)

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

/**
 * Integrity of the base backup files before anything is restored: pg_verifybackup against backup_manifest
 * (pg_basebackup), or the SHA-256 list koinonia_manifest.json written by the low-level path.
 */
export async function verifyBackupFiles(backupDir: string, pgVerifybackup: string): Promise<DrillCheck> {
  const name = 'backup manifest'
  if (existsSync(join(backupDir, 'backup_manifest')) && !existsSync(join(backupDir, 'base.tar')) && !existsSync(join(backupDir, 'base.tar.gz'))) {
    try {
      // -n: the WAL is in the archive, not in the backup; continuity is checked separately.
      await run(pgVerifybackup, ['-n', backupDir], { ...asPostgres(), maxBuffer: 64 * 1024 * 1024 })
      return { name, ok: true, detail: 'pg_verifybackup: every file matches backup_manifest' }
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string }
      const text = (e.stderr || e.stdout || e.message).trim().split('\n').slice(0, 3).join('; ')
      return { name, ok: false, detail: `pg_verifybackup found a damaged backup: ${text}` }
    }
  }
  const ours = join(backupDir, 'koinonia_manifest.json')
  if (existsSync(ours)) {
    const manifest = JSON.parse(readFileSync(ours, 'utf8')) as { files: Record<string, string> }
    const bad: string[] = []
    for (const [file, want] of Object.entries(manifest.files)) {
      const path = join(backupDir, file)
      if (!existsSync(path)) bad.push(`${file} is missing`)
      else if ((await sha256(path)) !== want) bad.push(`${file} has changed (SHA-256 mismatch)`)
      if (bad.length >= 5) break
    }
    return bad.length
      ? { name, ok: false, detail: `koinonia_manifest.json: ${bad.join('; ')}` }
      : { name, ok: true, detail: `koinonia_manifest.json: ${Object.keys(manifest.files).length} files match` }
  }
  if (existsSync(join(backupDir, 'backup_manifest')))
    return { name, ok: true, detail: 'tar backup: backup_manifest present (pg_verifybackup reads plain backups only); checked after restore by amcheck' }
  return { name, ok: true, detail: 'no manifest in the backup; integrity is checked after restore only (amcheck, checksums)' }
}
