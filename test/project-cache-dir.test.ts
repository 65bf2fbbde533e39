import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { projectCacheDir, replaceCacheFile } from '../src/project-cache-dir.js'

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdb-cache-dir-'))
  made.push(dir)
  return dir
}

describe('the project cache folder', () => {
  it('is the node_modules/.cache/koinonia-db of the nearest folder upwards with a node_modules', () => {
    const project = tempDir()
    mkdirSync(join(project, 'node_modules'))
    mkdirSync(join(project, 'prisma/migrations'), { recursive: true })
    expect(projectCacheDir(join(project, 'prisma/migrations'))).toBe(join(project, 'node_modules/.cache/koinonia-db'))
  })

  it('replaces a file whole, and removes the temp files of it a killed writer left, not one being written now', () => {
    const dir = join(tempDir(), 'node_modules/.cache/koinonia-db')
    const file = join(dir, 'history-0123456789abcdef.json')
    replaceCacheFile(file, 'one')
    const left = `${file}.99999.tmp`
    const writing = `${file}.99998.tmp`
    const other = join(dir, 'cli-0123456789abcdef-v8-1.cache.99999.tmp')
    for (const tmp of [left, writing, other]) writeFileSync(tmp, 'half')
    const hourAgo = new Date(Date.now() - 3600_000)
    utimesSync(left, hourAgo, hourAgo)
    utimesSync(other, hourAgo, hourAgo)
    replaceCacheFile(file, 'two')
    expect(readFileSync(file, 'utf8')).toBe('two')
    expect(existsSync(left)).toBe(false)
    // Someone may be writing it; another file's temp is that file's writer's to clean.
    expect(existsSync(writing)).toBe(true)
    expect(existsSync(other)).toBe(true)
    expect(readdirSync(dir).filter((n) => n.includes(`.${process.pid}.`))).toEqual([])
  })
})
