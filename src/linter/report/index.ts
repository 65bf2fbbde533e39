import type { LintResult } from '../types.js'
import { formatCompact } from './compact.js'
import { formatGithub } from './github.js'
import { formatGitlab } from './gitlab.js'
import { formatJson, jsonReportPieces } from './json.js'
import { formatJunit } from './junit.js'
import { formatMarkdown } from './markdown.js'
import { formatPretty, type PrettyOptions } from './pretty.js'
import { formatSarif } from './sarif.js'

import type { ReportFormat } from './formats.js'

export { REPORT_FORMATS, type ReportFormat } from './formats.js'

export interface ReportOptions extends PrettyOptions {
  /** Folder that relative paths are relative to (SARIF's %SRCROOT%). */
  cwd?: string
}

/** Renders a lint result in one of the report formats. */
export function formatReport(result: LintResult, format: ReportFormat, options: ReportOptions = {}): string {
  switch (format) {
    case 'pretty':
      return formatPretty(result, options)
    case 'json':
      return formatJson(result)
    case 'sarif':
      return formatSarif(result, options)
    case 'github':
      return formatGithub(result)
    case 'gitlab':
      return formatGitlab(result)
    case 'markdown':
      return formatMarkdown(result)
    case 'junit':
      return formatJunit(result)
    case 'compact':
      return formatCompact(result)
  }
}

/** formatReport's text as pieces to write one after another, made as they are asked for (jsonReportPieces). */
export function reportPieces(result: LintResult, format: ReportFormat, options: ReportOptions = {}): Iterable<string> {
  return format === 'json' ? jsonReportPieces(result) : [formatReport(result, format, options)]
}

export { formatPretty, formatJson, formatSarif, formatGithub, formatGitlab, formatMarkdown, formatJunit, formatCompact }
export { toCodeQuality, type CodeQualityIssue } from './gitlab.js'
export { toJsonReport } from './json.js'
export { toSarif } from './sarif.js'
