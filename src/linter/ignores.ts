import type { SqlComment, ParsedStatement } from './parse.js'

export interface IgnoreDirective {
  rules: string[]
  reason: string | null
  line: number
  /** Index of the statement it applies to, or 'file'. */
  scope: number | 'file'
  used: Set<string>
}

const DIRECTIVE = /koinonia-db-ignore(-file)?\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/

/**
 * `-- koinonia-db-ignore <rule-id>[, <rule-id>]: <reason>` applies to the statement it precedes or
 * ends the line of; `-- koinonia-db-ignore-file <rule-id>: <reason>` to the whole file.
 */
export function readIgnores(comments: SqlComment[], statements: readonly ParsedStatement[]): IgnoreDirective[] {
  const out: IgnoreDirective[] = []
  for (const comment of comments) {
    if (!comment.text.includes('koinonia-db-ignore')) continue
    const match = DIRECTIVE.exec(comment.text.replace(/^(--|\/\*)\s*/, ''))
    if (!match) continue
    const rules = match[2].split(',').map((r) => r.trim())
    const reason = match[3]?.trim() || null
    out.push({ rules, reason, line: comment.line, scope: match[1] ? 'file' : targetStatement(comment, statements), used: new Set() })
  }
  return out
}

function targetStatement(comment: SqlComment, statements: readonly ParsedStatement[]): number {
  // A comment after a statement on that statement's last line belongs to it.
  const trailing = statements.find((s) => s.byteEnd <= comment.byteStart && s.endLine === comment.line)
  if (trailing) return trailing.index
  // A comment inside a statement's span, or before it, belongs to the next statement.
  const next = statements.find((s) => s.byteEnd > comment.byteStart)
  return next ? next.index : -1
}
