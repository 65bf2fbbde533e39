// Lints every migration of the real Prisma histories in ../shared/corpora/prisma (or the folder given)
// and compares with squawk on the same files: no crash, every statement classified, how many
// statements each tool flags, and per rule where the two disagree (written to bench/out/lint-corpus.md).
// Usage: node bench/lint-corpus.mjs [corpus folder] [--pg-version N]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { squawkBin } from './squawk.mjs'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'pg-version': { type: 'string', default: '15' } } })
const corpus = resolve(positionals[0] ?? join(REPO, '../shared/corpora/prisma'))
if (!existsSync(corpus)) {
  console.log(`skipped: no corpus at ${corpus} (pass the folder as the first argument)`)
  process.exit(0)
}
const PG = Number(values['pg-version'])
const { lintFiles } = await import(join(REPO, 'dist/linter/lint.js'))
const { migrationFiles } = await import(join(REPO, 'dist/linter/discover.js'))

/**
 * squawk rules about style or hygiene, not about what a statement does to a live table: they do not
 * make a statement risky, as our `style` category does not (prefer-robust-stmts: IF NOT EXISTS).
 */
// Timeout rules count on both sides: ours (require-lock-timeout, require-statement-timeout) are not style either.
const SQUAWK_STYLE = /^(prefer-|ban-char-field$|require-table-schema$)/

const projects = readdirSync(corpus, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
const files = projects.flatMap((p) => migrationFiles(join(corpus, p)))
console.log(`corpus: ${files.length} migration files in ${projects.length} projects (${projects.join(', ')}), Postgres ${PG}`)

const start = performance.now()
const ours = await lintFiles(files, { pgVersion: PG })
const oursMs = performance.now() - start

const squawkStart = performance.now()
const sq = spawnSync(squawkBin(), ['--reporter', 'json', `--pg-version=${PG}.0`, ...files], { maxBuffer: 1 << 30, encoding: 'utf8' })
const squawkMs = performance.now() - squawkStart
if (sq.status !== 0 && sq.status !== 1) throw new Error(`squawk exited ${sq.status}: ${sq.stderr.slice(0, 1000)}`)
const violations = JSON.parse(sq.stdout)

// Checks: nothing crashed, every file parsed, every statement has a verdict.
const problems = []
for (const f of ours.files) {
  if (f.error) problems.push(`${f.path}: ${f.error.message}`)
  for (const s of f.statements) if (s.verdict !== 'safe' && s.verdict !== 'risky') problems.push(`${f.path}:${s.line}: no verdict`)
}

// squawk reports 0-based lines; a violation belongs to the statement whose lines contain it.
const byFile = new Map(ours.files.map((f) => [f.path, f]))
const squawkFlags = new Map() // "path#index" -> Set(rule)
let unplaced = 0
for (const v of violations) {
  const file = byFile.get(v.file) ?? byFile.get(resolve(v.file))
  const line = v.line + 1
  const stmt = file?.statements.find((s) => s.line <= line && line <= s.endLine) ?? file?.statements.find((s) => s.line >= line)
  if (!stmt) {
    unplaced++
    continue
  }
  const key = `${file.path}#${stmt.index}`
  if (!squawkFlags.has(key)) squawkFlags.set(key, new Set())
  squawkFlags.get(key).add(v.rule_name)
}

const rows = { bothRisky: 0, oursOnly: [], squawkOnly: [], neither: 0 }
let statements = 0
let oursRisky = 0
let squawkRisky = 0
for (const f of ours.files) {
  for (const s of f.statements) {
    statements++
    const theirs = [...(squawkFlags.get(`${f.path}#${s.index}`) ?? [])]
    const theirSafety = theirs.filter((r) => !SQUAWK_STYLE.test(r))
    const weRisky = s.verdict === 'risky'
    const theyRisky = theirSafety.length > 0
    if (weRisky) oursRisky++
    if (theyRisky) squawkRisky++
    const entry = {
      path: relative(corpus, f.path), line: s.line, text: s.text, lock: s.lock, newTable: createdEarlier(f, s),
      ours: s.findings.filter((x) => x.category !== 'style').map((x) => x.rule), theirs: theirSafety,
    }
    if (weRisky && theyRisky) rows.bothRisky++
    else if (weRisky) rows.oursOnly.push(entry)
    else if (theyRisky) rows.squawkOnly.push(entry)
    else rows.neither++
  }
}

/** The statement's table was created by an earlier statement of the same file: it is empty, nothing waits. */
function createdEarlier(file, statement) {
  if (!statement.table) return false
  const bare = statement.table.split('.').pop().replace(/^"|"$/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const create = new RegExp(`^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?("?public"?\\.)?"?${bare}"?\\s*\\(`, 'i')
  return file.statements.some((e) => e.index < statement.index && create.test(e.text))
}

function groupBy(list, keys) {
  const groups = new Map()
  for (const e of list) for (const k of keys(e)) {
    if (!groups.has(k)) groups.set(k, [])
    groups.get(k).push(e)
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length)
}

const oneLine = (t) => t.replace(/\s+/g, ' ').slice(0, 140)
const md = [
  '# Corpus comparison: koinonia-db lint vs squawk',
  '',
  `${new Date().toISOString()} · corpus ${corpus} · ${files.length} files · ${statements} statements · Postgres ${PG} · ${spawnSync(squawkBin(), ['--version'], { encoding: 'utf8' }).stdout.trim()}`,
  '',
  '| | statements |',
  '|---|---|',
  `| risky (koinonia-db) | ${oursRisky} |`,
  `| risky (squawk, safety rules only) | ${squawkRisky} |`,
  `| both | ${rows.bothRisky} |`,
  `| koinonia-db only | ${rows.oursOnly.length} |`,
  `| squawk only | ${rows.squawkOnly.length} |`,
  `| neither | ${rows.neither} |`,
  '',
  `squawk style/hygiene rules not counted as risky: \`${SQUAWK_STYLE.source}\``,
  '',
  '## Flagged by koinonia-db, not by squawk (by our rule)',
  '',
]
for (const [rule, list] of groupBy(rows.oursOnly, (e) => e.ours)) {
  md.push(`### ${rule} (${list.length})`, '')
  for (const e of list.slice(0, 8)) md.push(`- \`${e.path}:${e.line}\` ${e.lock ?? 'no lock'} — \`${oneLine(e.text)}\`${e.theirs.length ? ` (squawk: ${e.theirs.join(', ')})` : ''}`)
  if (list.length > 8) md.push(`- … ${list.length - 8} more`)
  md.push('')
}
md.push('## Flagged by squawk, not by koinonia-db (by squawk rule)', '')
for (const [rule, list] of groupBy(rows.squawkOnly, (e) => e.theirs)) {
  md.push(`### ${rule} (${list.length})`, '')
  const onNew = list.filter((e) => e.newTable).length
  if (onNew) md.push(`${onNew} of ${list.length} are on a table created earlier in the same migration (empty: nothing waits).`, '')
  // The disagreements worth reading first: those on tables that existed before the migration.
  list.sort((a, b) => Number(a.newTable) - Number(b.newTable))
  for (const e of list.slice(0, 8)) md.push(`- \`${e.path}:${e.line}\` ${e.lock ?? 'no lock'}${e.newTable ? ' on a table created in this migration' : ''} — \`${oneLine(e.text)}\``)
  if (list.length > 8) md.push(`- … ${list.length - 8} more`)
  md.push('')
}
mkdirSync(join(REPO, 'bench/out'), { recursive: true })
const reportPath = join(REPO, 'bench/out/lint-corpus.md')
writeFileSync(reportPath, `${md.join('\n')}\n`)

console.log(`statements: ${statements} in ${ours.files.length} files, all classified: ${problems.length === 0 ? 'yes' : 'NO'}`)
console.log(`risky: koinonia-db ${oursRisky}, squawk ${squawkRisky} (safety rules), both ${rows.bothRisky}, ours only ${rows.oursOnly.length}, squawk only ${rows.squawkOnly.length}`)
console.log(`time: koinonia-db ${oursMs.toFixed(0)} ms in-process, squawk ${squawkMs.toFixed(0)} ms (process)${unplaced ? `; ${unplaced} squawk violations outside any statement` : ''}`)
console.log(`per-rule differences: ${relative(process.cwd(), reportPath)}`)
if (problems.length) {
  console.error(`FAIL: ${problems.length} problems\n${problems.slice(0, 20).join('\n')}`)
  process.exitCode = 1
}
