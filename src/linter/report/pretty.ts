import { blocksPhrase } from '../locks.js'
import type { FileReport, Finding, LintResult, StatementReport } from '../types.js'
import { noticeLine } from './notice-line.js'
import { paint, type Paint } from './paint.js'

export interface PrettyOptions {
  /** ANSI colours; the CLI turns them on only for a TTY (and honours NO_COLOR / FORCE_COLOR). */
  color?: boolean
  /** The file's text, to show source lines as written; without it the statement text is shown. */
  readSource?: (path: string) => string | undefined
  /** Print the per-statement table. Default true. */
  table?: boolean
}

const MAX_SOURCE_LINES = 4

/**
 * Human report: for each statement with findings, `path:line:col`, the source with a marker, the
 * rule, the message, the lock and what it blocks, the safe alternative; then every statement of
 * the file in a compact table (line, verdict, lock, rewrite); then a summary line.
 */
export function formatPretty(result: LintResult, options: PrettyOptions = {}): string {
  const p = paint(options.color ?? false)
  const out: string[] = []
  for (const file of result.files) {
    const mode = describeMode(file)
    out.push(p.bold(file.path) + (mode ? p.dim(mode) : ''))
    if (file.error) {
      out.push(`  ${p.red('not linted')}: ${file.error.line ? `${file.path}:${file.error.line}:${file.error.column}: ` : ''}${file.error.message}`, '')
      continue
    }
    const source = options.readSource?.(file.path)
    const lines = source?.split(/\r?\n/)
    for (const s of file.statements) {
      for (const f of s.findings) {
        // Style findings never make a statement risky: one line each, so the risky ones stand out.
        if (f.category === 'style') out.push(`  ${file.path}:${s.line}:${s.column}  ${severity(f, p)}  ${p.cyan(f.rule)}  ${p.dim('[style]')}  ${f.message}`)
        else out.push(...findingBlock(file, s, f, lines, p))
      }
    }
    for (const n of file.notices) {
      out.push(`  ${file.path}:${noticeLine(n)}  ${severity(n, p)}  ${p.cyan(n.rule)}`, `    ${n.message}`, `    ${p.dim('fix:')} ${n.suggestion}`, '')
    }
    if (options.table ?? true) out.push(...table(file.statements, p), '')
  }
  out.push(summary(result, p))
  return `${out.join('\n')}\n`
}

function describeMode(file: FileReport): string {
  if (!file.prisma) return ''
  const version = file.prisma.version ? `Prisma ${file.prisma.version}` : 'Prisma (version unknown)'
  const mode = file.prisma.mode === 'single-query' ? 'whole file runs as one implicit transaction' : 'each statement runs on its own'
  return `  (${version}: ${mode})`
}

function findingBlock(file: FileReport, s: StatementReport, f: Finding, lines: string[] | undefined, p: Paint): string[] {
  const out = [`  ${p.bold(`${file.path}:${s.line}:${s.column}`)}  ${severity(f, p)}  ${p.cyan(f.rule)}  ${p.dim(`[${f.category}]`)}`]
  out.push(...sourceExcerpt(s, lines, p))
  out.push(`    ${f.message}`)
  if (s.lock) {
    const blocks = blocksPhrase(s.blocks)
    out.push(`    ${p.dim('lock:')} ${s.lock}${s.table ? ` on ${s.table}` : ''}, ${blocks}${s.rewrite ? ', rewrites the table' : ''}${s.scan ? ', scans every row' : ''}`)
  }
  const [first, ...rest] = f.suggestion.split('\n')
  out.push(`    ${p.green('safe alternative:')} ${first}`, ...rest.map((l) => `      ${l}`), '')
  return out
}

function sourceExcerpt(s: StatementReport, lines: string[] | undefined, p: Paint): string[] {
  const span = Math.min(s.endLine - s.line + 1, MAX_SOURCE_LINES)
  const fromFile = lines && lines.length >= s.line ? lines.slice(s.line - 1, s.line - 1 + span) : undefined
  const shown = fromFile ?? [' '.repeat(s.column - 1) + (s.text.split('\n')[0] ?? ''), ...s.text.split('\n').slice(1, span)]
  const width = String(s.line + span - 1).length
  const out: string[] = []
  shown.forEach((text, i) => {
    const n = String(s.line + i).padStart(width)
    out.push(`    ${p.dim(`${n} |`)} ${text}`)
    if (i === 0) {
      // Characters, not bytes: the column is counted in code points, as the marker is drawn.
      const length = Math.max(1, [...text].length - (s.column - 1))
      out.push(`    ${p.dim(`${' '.repeat(width)} |`)} ${' '.repeat(s.column - 1)}${p.red('^'.repeat(length))}`)
    }
  })
  if (s.endLine - s.line + 1 > span) out.push(`    ${p.dim(`${' '.repeat(width)} |`)} ${p.dim(`... (${s.endLine - s.line + 1 - span} more lines)`)}`)
  return out
}

function severity(f: Finding, p: Paint): string {
  return f.severity === 'error' ? p.red('error') : p.yellow('warning')
}

function table(statements: StatementReport[], p: Paint): string[] {
  if (statements.length === 0) return ['  (no statements)']
  const lineWidth = Math.max(4, ...statements.map((s) => String(s.line).length))
  const lockWidth = Math.max(4, ...statements.map((s) => (s.lock ?? '-').length))
  const head = `  ${'line'.padStart(lineWidth)}  verdict  ${'lock'.padEnd(lockWidth)}  rewrite  statement`
  const rows = statements.map((s) => {
    const verdict = s.verdict === 'risky' ? p.red('risky  ') : p.green('safe   ')
    const ignored = s.ignored.length ? p.dim(` (ignored: ${s.ignored.map((i) => i.rule).join(', ')})`) : ''
    return `  ${String(s.line).padStart(lineWidth)}  ${verdict}  ${(s.lock ?? '-').padEnd(lockWidth)}  ${(s.rewrite ? 'yes' : 'no').padEnd(7)}  ${p.dim(oneLine(s.text))}${ignored}`
  })
  return [p.dim(head), ...rows]
}

function oneLine(text: string, max = 72): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat
}

function summary(result: LintResult, p: Paint): string {
  const { files, statements, risky, errors } = result.summary
  const riskyFiles = result.files.filter((f) => f.statements.some((s) => s.verdict === 'risky')).length
  const ignored = result.files.reduce((n, f) => n + f.statements.reduce((m, s) => m + s.ignored.length, 0), 0)
  const parts = [`${statements} statement${statements === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`]
  parts.push(risky ? p.red(`${risky} risky${riskyFiles ? ` in ${riskyFiles} file${riskyFiles === 1 ? '' : 's'}` : ''}`) : p.green('0 risky'))
  if (ignored) parts.push(`${ignored} finding${ignored === 1 ? '' : 's'} ignored`)
  if (errors) parts.push(p.red(`${errors} file${errors === 1 ? '' : 's'} not linted`))
  const mark = risky || errors ? p.red('✖') : p.green('✔')
  return `${mark} ${parts.join(', ')}`
}
