import { isContractOrdered } from '../contract-order.js'
import type { FileReport, Finding, LintResult, StatementReport } from '../types.js'

/**
 * The stable JSON contract, version 1. Keys are written in a fixed order: the contract's keys first
 * (version, files[].path, statements[].index ... findings), then the documented additions
 * (kind, prisma, error, notices, table, scan, ignored, summary.errors). Adding keys is compatible;
 * renaming or removing one needs version 2.
 */
export function toJsonReport(result: LintResult): object {
  return {
    version: 1,
    files: result.files.map((f) => file(f)),
    summary: summary(result),
  }
}

function summary(result: LintResult) {
  const { files, statements, risky, errors, skipped } = result.summary
  return skipped ? { files, statements, risky, errors, skipped } : { files, statements, risky, errors }
}

/**
 * One line: the report of a large migration lists every statement (20,000 statements: 14 MB on one
 * line, 20 MB indented, and a third slower to write). `jq .` indents it for reading.
 */
export function formatJson(result: LintResult): string {
  return `${JSON.stringify({ version: 1, files: result.files.map((f) => file(f, isContractOrdered(f.statements))), summary: summary(result) })}\n`
}

/**
 * formatJson's text in pieces of about 64 KB (`perPiece` statements), made one after the other: the
 * CLI writes each as it is made, so a reader drains the pipe while the next is serialized instead of
 * waiting for one 14 MB string (20,000 statements: ~20 ms sooner to exit). Joined, the pieces are
 * formatJson's text exactly: JSON.stringify of an object is its keys' texts in order, with nothing
 * between them.
 */
export function* jsonReportPieces(result: LintResult, perPiece = 90): Generator<string> {
  yield '{"version":1,"files":['
  for (let k = 0; k < result.files.length; k++) {
    const { path, statements, ...rest } = file(result.files[k], isContractOrdered(result.files[k].statements))
    yield `${k ? ',' : ''}{"path":${JSON.stringify(path)},"statements":[`
    for (let i = 0; i < statements.length; i += perPiece) yield `${i ? ',' : ''}${JSON.stringify(statements.slice(i, i + perPiece)).slice(1, -1)}`
    const after = JSON.stringify(rest)
    yield after === '{}' ? ']}' : `],${after.slice(1)}`
  }
  yield `],"summary":${JSON.stringify(summary(result))}}\n`
}

/** `asIs`: the statements already have the contract's keys in its order, and are written without a copy. */
function file(f: FileReport, asIs = false) {
  return {
    path: f.path,
    statements: asIs ? f.statements : f.statements.map(statement),
    kind: f.kind,
    prisma: f.prisma ? { version: f.prisma.version, mode: f.prisma.mode } : null,
    error: f.error ? { message: f.error.message, line: f.error.line, column: f.error.column } : null,
    notices: f.notices.map(finding),
  }
}

function statement(s: StatementReport) {
  return {
    index: s.index,
    line: s.line,
    column: s.column,
    endLine: s.endLine,
    text: s.text,
    verdict: s.verdict,
    lock: s.lock,
    blocks: [...s.blocks],
    rewrite: s.rewrite,
    findings: s.findings.map(finding),
    table: s.table,
    scan: s.scan,
    ignored: s.ignored.map((i) => ({ ...finding(i), reason: i.reason })),
  }
}

function finding(f: Finding) {
  return { rule: f.rule, category: f.category, severity: f.severity, message: f.message, suggestion: f.suggestion }
}
