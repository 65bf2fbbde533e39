import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { EXIT, UsageError } from '../../errors.js'
import { parseArgsOptions } from '../../config/flag-spec.js'
import { VERIFY_FLAGS, VERIFY_FORMATS } from '../../config/flags/verify-flags.js'
import { renderVerifyJson } from '../../snapshot/report-json.js'
import { renderVerifyMarkdown } from '../../snapshot/report-markdown.js'
import { renderVerifyPretty } from '../../snapshot/report-pretty.js'
import type { VerifyResult } from '../../snapshot/types.js'
import { verify } from '../../snapshot/verify.js'
import type { CliCommand } from '../command.js'
import { readFlags } from '../read-flags.js'
import { displayPath } from '../render/relative-path.js'
import { renderVerifyJunit } from '../../snapshot/report-junit.js'

const FORMATS: Record<(typeof VERIFY_FORMATS)[number], (r: VerifyResult) => string> = { pretty: renderVerifyPretty, json: renderVerifyJson, markdown: renderVerifyMarkdown, junit: renderVerifyJunit }

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Replay pending migrations on a throwaway copy of your data: locks, rewrites, data loss, rollback',
  usage: 'koinonia-db verify [project folder] [--snapshot FILE|URL] [--rows N] [--seed N] [--applied N|NAME] [--provider embedded|system|testcontainers|url] ' +
    '[--pg-version N] [--image IMAGE] [--url URL] [--migrations-dir DIR] [--prisma-version V] [--load] [--max-rewrite-rows N] [--slow-ms N] ' +
    '[--no-rollback] [--jobs N] [--since REF] [--config PATH] [--format pretty|json|markdown|junit] [--output FILE]',
  options: parseArgsOptions(VERIFY_FLAGS),
  async run(values, positionals, io) {
    if (positionals.length > 1) throw new UsageError('KDB_USAGE', 'verify takes at most one project folder', { hint: 'Run it inside the project, or pass its folder.' })
    const cwd = resolve(io.cwd, positionals[0] ?? '.')
    // Flags win over koinonia.config.* (searched from the project folder); paths in the config are relative to its folder.
    const { fromFlags, options: o } = await readFlags(VERIFY_FLAGS, values, io.cwd, { configCwd: cwd })
    const render = FORMATS[o.format!]
    let applied = o.applied
    if (fromFlags.since !== undefined) {
      if (fromFlags.applied !== undefined) throw new UsageError('KDB_USAGE', '--since and --applied cannot be combined', { hint: '--since decides which migrations are pending.' })
      const pending = await pendingSince(cwd, fromFlags.since, o.migrationsDir, o.prismaVersion)
      if (pending.problems.length) {
        for (const p of pending.problems) io.stderr.write(`koinonia-db verify: ${p.message}\n`)
        return EXIT.findings
      }
      if (pending.applied === null) {
        io.stderr.write(`koinonia-db verify: no migrations changed since ${fromFlags.since}; nothing to verify\n`)
        return EXIT.ok
      }
      applied = String(pending.applied)
    }
    const progress = io.stderr.isTTY ? (m: string) => io.stderr.write(`… ${m}\n`) : undefined
    const { format: _format, output, since: _since, config: _config, ...api } = o
    const result = await verify({ ...api, cwd, applied, signal: io.signal, onProgress: progress })
    const text = render(result)
    if (output) {
      await writeFile(output, text)
      io.stderr.write(`koinonia-db verify: ${result.verdict} (report written to ${displayPath(output, io.cwd)})\n`)
    } else (o.format === 'pretty' ? io.stderr : io.stdout).write(text)
    return result.verdict === 'pass' ? EXIT.ok : EXIT.findings
  },
}

/**
 * `--since REF`: the migrations added on the branch are the pending ones; every migration before the
 * first of them counts as applied in production. Edited or out-of-order migrations stop the gate.
 */
async function pendingSince(cwd: string, ref: string, migrationsDir?: string, prismaVersion?: string) {
  const [{ selectSince }, { discoverMigrations }, { realpathSync }] = await Promise.all([
    import('../../git/select-migrations.js'), import('../../migrations/index.js'), import('node:fs'),
  ])
  const selection = await selectSince(cwd, ref)
  const project = await discoverMigrations({ cwd, migrationsDir, prismaVersion })
  const selected = new Set(selection.files.map((f) => realpathSync(f)))
  const first = project.migrations.findIndex((m) => selected.has(realpathSync(m.upPath)))
  return { problems: selection.problems, applied: first < 0 ? null : first }
}
