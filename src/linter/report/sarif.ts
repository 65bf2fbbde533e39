import { isAbsolute, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { packageVersion } from '../../package-version.js'
import type { Rule } from '../define-rule.js'
import { RULES } from '../rules/index.js'
import type { Category, FileReport, Finding, LintResult, Severity, StatementReport } from '../types.js'
import { noticeLine } from './notice-line.js'

export interface SarifOptions {
  /** Folder relative paths are resolved against (becomes `%SRCROOT%`). */
  cwd?: string
}

const INFORMATION_URI = 'https://github.com/koinonia-db/koinonia-db'

/** Findings the engine reports about the file itself rather than through a rule of the registry. */
const FILE_RULES: Array<Pick<Rule, 'id' | 'category' | 'severity' | 'docs'>> = [
  {
    id: 'koinonia-db-ignore',
    category: 'style',
    severity: 'warning',
    docs: {
      summary: 'An ignore comment must give a reason and match a finding.',
      why: 'An ignore comment without a reason silences nothing; one that matches no finding hides a future one.',
      safeAlternative: '-- koinonia-db-ignore <rule-id>: <why this is safe here>',
    },
  },
  {
    id: 'prisma-warning-header',
    category: 'data',
    severity: 'warning',
    docs: {
      summary: 'Prisma generated this migration with data-loss warnings.',
      why: 'Prisma writes a Warnings block when the migration drops data (columns, tables, enum values); it is easy to miss in review.',
      safeAlternative: 'Back up or copy the affected data first, or rewrite the migration as expand/contract.',
    },
  },
]

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html): one run with the
 * rule metadata in tool.driver.rules, one result per finding with its physical location; ignored
 * findings are results with an in-source suppression; files that could not be linted are
 * tool execution notifications.
 */
export function toSarif(result: LintResult, options: SarifOptions = {}): object {
  const rules = [...RULES, ...FILE_RULES]
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  const results: object[] = []
  const notifications: object[] = []
  for (const file of result.files) {
    if (file.error) {
      notifications.push({
        level: 'error',
        message: { text: file.error.message },
        locations: [location(file, file.error.line || 1, file.error.column || 1)],
      })
      continue
    }
    for (const s of file.statements) {
      for (const f of s.findings) results.push(sarifResult(f, file, s, ruleIndex))
      for (const f of s.ignored) {
        results.push({ ...sarifResult(f, file, s, ruleIndex), suppressions: [{ kind: 'inSource', justification: f.reason }] })
      }
    }
    for (const n of file.notices) {
      results.push({
        ruleId: n.rule,
        ...(ruleIndex.has(n.rule) ? { ruleIndex: ruleIndex.get(n.rule) } : {}),
        level: level(n.severity),
        message: { text: `${n.message} ${n.suggestion}` },
        locations: [location(file, noticeLine(n), 1)],
      })
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'koinonia-db',
          version: packageVersion(),
          semanticVersion: packageVersion(),
          informationUri: INFORMATION_URI,
          rules: rules.map(ruleDescriptor),
        },
      },
      ...(options.cwd ? { originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(`${options.cwd.replace(/[/\\]$/, '')}/`).href } } } : {}),
      invocations: [{ executionSuccessful: result.summary.errors === 0, toolExecutionNotifications: notifications }],
      results,
      columnKind: 'unicodeCodePoints',
    }],
  }
}

export function formatSarif(result: LintResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`
}

function ruleDescriptor(rule: Pick<Rule, 'id' | 'category' | 'severity' | 'docs'>) {
  const { docs } = rule
  const markdown = [
    `**${docs.summary}**`, '', docs.why, '', '**Safe alternative:** ' + docs.safeAlternative,
    ...(docs.bad ? ['', 'Flagged:', '```sql', docs.bad, '```'] : []),
    ...(docs.good ? ['', 'Safe:', '```sql', docs.good, '```'] : []),
  ].join('\n')
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: docs.summary },
    fullDescription: { text: docs.why },
    help: { text: `${docs.why} Safe alternative: ${docs.safeAlternative}`, markdown },
    defaultConfiguration: { level: level(rule.severity) },
    properties: { category: rule.category satisfies Category, tags: ['postgresql', 'migration', rule.category] },
  }
}

function sarifResult(f: Finding, file: FileReport, s: StatementReport, ruleIndex: Map<string, number>) {
  return {
    ruleId: f.rule,
    ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
    level: level(f.severity),
    message: { text: `${f.message} Safe alternative: ${f.suggestion}` },
    locations: [location(file, s.line, s.column, s.endLine, s.text)],
    properties: { category: f.category, verdict: s.verdict, lock: s.lock, blocks: s.blocks, rewrite: s.rewrite, suggestion: f.suggestion },
  }
}

function location(file: FileReport, line: number, column: number, endLine?: number, snippet?: string) {
  const absolute = isAbsolute(file.path)
  return {
    physicalLocation: {
      artifactLocation: absolute
        ? { uri: pathToFileURL(file.path).href }
        : { uri: encodeURI(file.path.split(sep).join('/')), uriBaseId: 'SRCROOT' },
      region: {
        startLine: Math.max(1, line),
        startColumn: Math.max(1, column),
        ...(endLine ? { endLine } : {}),
        ...(snippet ? { snippet: { text: snippet } } : {}),
      },
    },
  }
}

function level(severity: Severity): 'error' | 'warning' {
  return severity === 'error' ? 'error' : 'warning'
}

function pascalCase(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
}

