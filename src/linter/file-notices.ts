import type { FileReport, Finding } from './types.js'

/**
 * Prisma writes a `Warnings:` block at the top of a migration it knows loses data
 * ("You are about to drop the column ..."). A reviewer skimming the SQL misses it; we do not.
 */
export function fileNotices(sql: string, report: FileReport): Finding[] {
  const header = /^\s*\/\*\s*Warnings:([\s\S]*?)\*\//.exec(sql)
  if (!header) return []
  const items = header[1].split('\n').map((l) => l.trim()).filter((l) => l.startsWith('- ')).map((l) => l.slice(2))
  return [{
    rule: 'prisma-warning-header',
    category: 'data',
    severity: 'warning',
    message: `Prisma generated this migration with warnings: ${items.join(' ') || header[1].trim()}`,
    suggestion: report.kind === 'prisma'
      ? 'Read each warning: back up or copy the affected data first, or rewrite the migration as expand/contract.'
      : 'Read each warning before applying.',
  }]
}
