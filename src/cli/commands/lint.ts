import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { EXIT, UsageError } from '../../errors.js'
import type { LintOptions, LintResult } from '../../linter/types.js'
import { emptyFileReport } from '../../linter/empty-report.js'
import { failsGate } from '../../linter/gate.js'
import { parseArgsOptions } from '../../config/flag-spec.js'
import { LINT_FLAGS } from '../../config/flags/lint-flags.js'
import type { ReportFormat } from '../../linter/report/formats.js'
import type { CliCommand, CliIo } from '../command.js'
import { readFlags } from '../read-flags.js'
import { displayPath } from '../render/relative-path.js'
import { useColor } from '../render/use-color.js'
import { writePieces } from '../render/write-pieces.js'

/** Where migrations usually live, tried in order when no path is given. */
const DEFAULT_PATHS = ['prisma/migrations', 'migrations']

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Classify every statement of migration files as safe or risky, with its lock and a safe alternative',
  usage: [
    'koinonia-db lint [files or folders ...] [options]',
    '... | koinonia-db lint - [--stdin-filepath PATH] [options]',
    '',
    'A folder means every migration inside it (Prisma layout or *.sql). Without paths: prisma/migrations or migrations.',
    '- reads the SQL from stdin (e.g. prisma migrate diff ... --script), also beside other paths, reported in order.',
    '',
    'Options:',
    '  --pg-version N          target Postgres major version, 11 to 18 (default: config, else 15)',
    '  --format F              pretty (default), json, sarif, github, gitlab, markdown, junit or compact',
    '  --staged                only migrations staged for commit (the pre-commit hook)',
    '  --stdin-filepath PATH   with -: the path the SQL would have (report, Prisma detection, overrides,',
    '                          the earlier migrations of its folder)',
    '  --since REF             only migrations added or changed since the merge base with REF (CI);',
    '                          editing or deleting an existing migration, or adding one that sorts',
    '                          before existing ones, fails the run',
    '  --prisma-version V      Prisma version for migration.sql files (default: detected from package.json)',
    '  --prisma                treat every file as a Prisma migration.sql',
    '  --start-after NAME      judge only the migrations of a folder after NAME (e.g. a Prisma timestamp);',
    '                          the earlier ones are still read for their column types',
    '  --assume-in-transaction every file runs inside one transaction its migration tool opens',
    '                          (Flyway, knex, node-pg-migrate, Rails, Django); Prisma migrations follow Prisma',
    '  --disable RULE          turn a rule off (repeatable)',
    '  --config PATH           config file (default: koinonia.config.* from here upwards)',
    '',
    'Every option but --staged, --since and --config can be set in koinonia.config.* (see docs/config.md).',
    '',
    'Exit codes: 0 nothing risky, 1 something risky, 2 usage error or a file that cannot be read or parsed.',
  ].join('\n'),
  options: parseArgsOptions(LINT_FLAGS),
  async run(values, positionals, io) {
    // Imported here, not at the top: `koinonia-db --help` and other commands should not pay for the parser.
    const [{ lint, lintFiles, summarize }, { reportPieces }, { RULES }, flags] = await Promise.all([
      import('../../linter/lint.js'), import('../../linter/report/index.js'), import('../../linter/rules/index.js'), readFlags(LINT_FLAGS, values, io.cwd),
    ])
    const { options: o, config, configPath } = flags
    const format = o.format as ReportFormat
    const unknown = o.disable?.find((id) => !RULES.some((r) => r.id === id))
    // Checked here, once the rules are loaded (the flag table checks only the shape of an id); named
    // after where the id came from: the flag, or lint.disable in the config file.
    const from = flags.fromFlags.disable ? '--disable' : `lint.disable in ${configPath}`
    if (unknown) throw new UsageError('KDB_UNKNOWN_RULE', `${from}: unknown rule "${unknown}"`, { hint: 'Run `koinonia-db rules` for the rule ids.' })
    const options: LintOptions = {
      pgVersion: o.pgVersion,
      prismaVersion: o.prismaVersion,
      rules: config.rules,
      overrides: config.overrides,
      cwd: configPath ? dirname(configPath) : io.cwd,
      disable: o.disable,
      assumeInTransaction: o.assumeInTransaction,
      startAfter: o.startAfter,
      ...(o.prisma ? { prisma: true } : {}),
    }
    const selection = await gitSelection(values, positionals, io.cwd)
    const stdinPath = stdinInput(values, positionals, io)
    const paths = selection ? selection.files : positionals.length ? positionals : defaultPaths(io.cwd)
    const files = (list: string[]) => (list.length ? lintFiles(list.map((p) => resolve(io.cwd, p)), options) : Promise.resolve(summarize([])))
    let linted: LintResult
    if (stdinPath === null) linted = await files(paths)
    else {
      // `a.sql - b/`: the files named before it, the SQL on stdin, then those named after it, in that order.
      const at = paths.indexOf('-')
      const before = await files(paths.slice(0, at))
      const piped = await lint(await (await import('node:stream/consumers')).buffer(io.stdin as NodeJS.ReadableStream), { ...options, path: stdinPath ?? '<stdin>', history: stdinPath !== undefined })
      const after = await files(paths.slice(at + 1))
      linted = summarize([...before.files, ...piped.files, ...after.files], (before.summary.skipped ?? 0) + (after.summary.skipped ?? 0))
    }
    if (selection) addSelectionProblems(linted, selection.problems)
    const result = relativize(linted, io.cwd)
    if (selection && paths.length === 0) io.stderr.write(`koinonia-db lint: no migrations ${values.staged ? 'staged' : `changed since ${values.since}`}\n`)
    else reportProblems(result, paths, io)
    const pieces = reportPieces(result, format, {
      cwd: io.cwd,
      color: useColor(io.stdout, io.env),
      readSource: (path) => {
        try {
          return readFileSync(resolve(io.cwd, path), 'utf8')
        } catch {
          return undefined
        }
      },
    })
    await writePieces(io.stdout, pieces)
    if (result.summary.errors > 0) return EXIT.usage
    return failsGate(result) ? EXIT.findings : EXIT.ok
  },
}

type Selection = Awaited<ReturnType<typeof import('../../git/select-migrations.js').selectStaged>>

/** `--staged` / `--since REF`: the migrations git says are new; null when neither flag is given. */
async function gitSelection(values: Record<string, unknown>, positionals: string[], cwd: string): Promise<Selection | null> {
  if (!values.staged && values.since === undefined) return null
  if (values.staged && values.since !== undefined)
    throw new UsageError('KDB_USAGE', '--staged and --since cannot be combined', { hint: 'Use --staged in a pre-commit hook, --since <ref> in CI.' })
  if (positionals.length)
    throw new UsageError('KDB_USAGE', `--${values.staged ? 'staged' : 'since'} selects the files itself; do not also name files`, { hint: 'Drop the file arguments.' })
  const { selectStaged, selectSince } = await import('../../git/select-migrations.js')
  return values.staged ? selectStaged(cwd) : selectSince(cwd, values.since as string)
}

/** An edited, deleted or out-of-order migration fails the run on its own, as a file-level error. */
function addSelectionProblems(result: LintResult, problems: Selection['problems']): void {
  for (const problem of problems) {
    let file = result.files.find((f) => f.path === problem.path)
    if (!file) {
      file = emptyFileReport(problem.path)
      result.files.push(file)
      result.summary.files++
    }
    file.notices.push({ rule: problem.code, category: 'data', severity: 'error', message: problem.message, suggestion: 'Applied migrations never change: revert the change and add a new migration instead.' })
  }
}

/**
 * `lint -`: the SQL comes on stdin (`prisma migrate diff ... --script | koinonia-db lint -`). The
 * path it would have, from --stdin-filepath (undefined without one); null when stdin is not read.
 */
function stdinInput(values: Record<string, unknown>, positionals: string[], io: CliIo): string | undefined | null {
  const named = values['stdin-filepath'] as string | undefined
  if (!positionals.includes('-')) {
    if (named !== undefined)
      throw new UsageError('KDB_USAGE', '--stdin-filepath names the SQL read from stdin, and no - was given', { hint: 'Pipe the SQL and pass - as the path: ... | koinonia-db lint - --stdin-filepath prisma/migrations/<name>/migration.sql' })
    return null
  }
  if (positionals.indexOf('-') !== positionals.lastIndexOf('-')) throw new UsageError('KDB_USAGE', '- (the SQL on stdin) was given twice', { hint: 'Stdin can be read once: pass - once.' })
  if (!io.stdin) throw new UsageError('KDB_USAGE', 'there is no stdin to read here', { hint: 'Name the files to lint.' })
  return named === undefined ? undefined : resolve(io.cwd, named)
}

function defaultPaths(cwd: string): string[] {
  const found = DEFAULT_PATHS.find((p) => existsSync(join(cwd, p)))
  if (!found)
    throw new UsageError('KDB_NO_PATHS', 'no files or folders given, and neither prisma/migrations nor migrations exists here', {
      hint: 'Pass the migration files or folders to lint: koinonia-db lint path/to/migrations',
    })
  return [found]
}

function relativize(result: LintResult, cwd: string): LintResult {
  for (const file of result.files) file.path = displayPath(file.path, cwd)
  return result
}

/** Files that could not be linted, as `file:line:column: message` on stderr, whatever the format. */
function reportProblems(result: LintResult, paths: string[], io: CliIo): void {
  for (const file of result.files) {
    if (!file.error) continue
    const where = file.error.line ? `${file.path}:${file.error.line}:${file.error.column}` : file.path
    io.stderr.write(`${where}: ${file.error.message}\n`)
  }
  const { skipped } = result.summary
  if (skipped) io.stderr.write(`koinonia-db lint: ${skipped} migration${skipped === 1 ? '' : 's'} up to the start (--start-after) not judged\n`)
  else if (result.files.length === 0) io.stderr.write(`koinonia-db lint: no migration files found in ${paths.join(', ')}\n`)
}
