import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { emptyFileReport } from './empty-report.js'
import { matchesAny } from '../config/glob.js'
import { UsageError } from '../errors.js'
import { migrationFiles, notAfter } from './discover.js'
import { lintSource, type EngineOptions } from './engine.js'
import { FolderHistories } from './schema-history.js'
import { decodeMigration } from './source-encoding.js'
import { ensureParser } from './parse.js'
import { detectPrismaVersion, isPrismaMigrationPath, prismaModeFor } from './prisma.js'
import type { FileReport, LintOptions, LintResult } from './types.js'

export const DEFAULT_PG_VERSION = 15

function engineOptions(path: string, options: LintOptions, prisma: boolean): EngineOptions {
  const pgVersion = options.pgVersion ?? DEFAULT_PG_VERSION
  if (!Number.isInteger(pgVersion) || pgVersion < 11 || pgVersion > 18)
    throw new UsageError('KDB_PG_VERSION', `Postgres version ${pgVersion} is not supported`, { hint: 'Use a major version from 11 to 18.' })
  const rules: Record<string, 'error' | 'warning' | 'off'> = { ...options.rules }
  if (options.overrides?.length) {
    const rel = relative(options.cwd ?? process.cwd(), path)
    for (const o of options.overrides) if (matchesAny(rel, o.files)) Object.assign(rules, o.rules)
  }
  for (const id of options.disable ?? []) rules[id] = 'off'
  const version = prisma ? (options.prismaVersion ?? detectPrismaVersion(path)) : null
  // Prisma's own way of running migration.sql decides for Prisma files; the option is for the other tools.
  const assumeInTransaction = !prisma && options.assumeInTransaction === true
  return { path, pgVersion, rules, prisma: prisma ? { version, mode: prismaModeFor(version) } : null, assumeInTransaction }
}

export function summarize(files: FileReport[], skipped = 0): LintResult {
  const statements = files.reduce((n, f) => n + f.statements.length, 0)
  const risky = files.reduce((n, f) => n + f.statements.filter((s) => s.verdict === 'risky').length, 0)
  const summary: LintResult['summary'] = { files: files.length, statements, risky, errors: files.filter((f) => f.error).length }
  if (skipped) summary.skipped = skipped
  return { version: 1, files, summary }
}

/**
 * Lints one migration's SQL. Bytes (a file's or stdin's) are checked as Postgres would read them:
 * UTF-8 without a byte order mark, else the file error says where and what to do.
 * @example
 * const result = await lint('CREATE INDEX i ON users (email);', { pgVersion: 15 })
 * result.files[0].statements[0].verdict // 'risky'
 */
export async function lint(sql: string | Uint8Array, options: LintOptions = {}): Promise<LintResult> {
  await ensureParser()
  const path = options.path ?? '<sql>'
  const engine = engineOptions(path, options, options.prisma ?? isPrismaMigrationPath(path))
  if (typeof sql !== 'string') {
    const decoded = decodeMigration(Buffer.from(sql.buffer, sql.byteOffset, sql.byteLength))
    if ('problem' in decoded) return summarize([{ ...emptyFileReport(path, engine.prisma), error: decoded.problem }])
    sql = decoded.text
  }
  // The migration as if it were the file at `path`: after the earlier ones of its folder.
  const history = options.history === true && options.path !== undefined ? new FolderHistories(engine.pgVersion).before(resolve(options.path)) : undefined
  return summarize([lintSource(sql, { ...engine, history })])
}

/**
 * Lints files and folders (every migration inside: Prisma layout or *.sql). A file that cannot be
 * read or parsed is reported with its error; the others are still linted.
 * @example
 * const result = await lintFiles(['prisma/migrations'])
 * if (result.summary.risky > 0) console.log('unsafe migration')
 */
export async function lintFiles(paths: string[], options: LintOptions = {}): Promise<LintResult> {
  // V8 compiles the parser on background threads meanwhile: the files are found and the first one read in that time.
  let parser: Promise<void> | null = ensureParser()
  const files: FileReport[] = []
  let skipped = 0
  const histories = options.history === false ? null : new FolderHistories(options.pgVersion ?? DEFAULT_PG_VERSION)
  for (const root of paths) {
    let list: string[]
    try {
      list = migrationFiles(root)
    } catch (error) {
      files.push(unreadable(root, error))
      continue
    }
    // A file named on its own is always judged; a folder's migrations from startAfter on.
    const folder = !(list.length === 1 && list[0] === root)
    for (const path of list) {
      if (folder && options.startAfter !== undefined && notAfter(path, options.startAfter)) {
        skipped++
        continue
      }
      let decoded: ReturnType<typeof decodeMigration>
      try {
        // Synchronous on purpose: migrations are small and many; an async read per file spent most of
        // a 350-file run waiting on the thread pool (bench/lint-corpus.mjs).
        decoded = decodeMigration(readFileSync(path))
      } catch (error) {
        files.push(unreadable(path, error))
        continue
      }
      if ('problem' in decoded) {
        files.push({ ...emptyFileReport(path), error: decoded.problem })
        continue
      }
      const sql = decoded.text
      if (parser) {
        await parser
        parser = null
      }
      const prisma = options.prisma ?? isPrismaMigrationPath(path)
      files.push(lintSource(sql, { ...engineOptions(path, options, prisma), history: histories?.before(path) }))
    }
  }
  await parser
  return summarize(files, skipped)
}

function unreadable(path: string, error: unknown): FileReport {
  const reason = (error as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'no such file or folder' : String((error as Error)?.message ?? error)
  return { ...emptyFileReport(path), error: { message: `cannot read: ${reason}`, line: 0, column: 0 } }
}
