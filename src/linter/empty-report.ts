import type { FileReport } from './types.js'

/** A file's report with no statements, notices or error yet (plain SQL unless a Prisma mode is given). */
export function emptyFileReport(path: string, prisma: FileReport['prisma'] = null): FileReport {
  return { path, kind: prisma ? 'prisma' : 'sql', prisma, statements: [], notices: [], error: null }
}
