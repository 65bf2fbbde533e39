import { writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { EXIT, UsageError } from '../../errors.js'
import type { ProviderName } from '../../postgres/provider.js'
import { renderVerifyJson } from '../../snapshot/report-json.js'
import { renderVerifyMarkdown } from '../../snapshot/report-markdown.js'
import { renderVerifyPretty } from '../../snapshot/report-pretty.js'
import type { VerifyResult } from '../../snapshot/types.js'
import { verify } from '../../snapshot/verify.js'
import type { CliCommand } from '../command.js'
import { renderVerifyJunit } from '../../snapshot/report-junit.js'

const FORMATS: Record<string, (r: VerifyResult) => string> = { pretty: renderVerifyPretty, json: renderVerifyJson, markdown: renderVerifyMarkdown, junit: renderVerifyJunit }

function integer(values: Record<string, unknown>, flag: string): number | undefined {
  const raw = values[flag] as string | undefined
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw)) throw new UsageError('KDB_FLAG_VALUE', `--${flag} must be a whole number, got "${raw}"`, { hint: `Pass e.g. --${flag} 1000.` })
  return Number(raw)
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Replay pending migrations on a throwaway copy of your data: locks, rewrites, data loss, rollback',
  usage: 'koinonia-db verify [project folder] [--snapshot FILE|URL] [--rows N] [--seed N] [--applied N|NAME] [--provider embedded|system|testcontainers|url] ' +
    '[--pg-version N] [--image IMAGE] [--url URL] [--migrations-dir DIR] [--prisma-version V] [--load] [--max-rewrite-rows N] [--slow-ms N] ' +
    '[--no-rollback] [--jobs N] [--since REF] [--config PATH] [--format pretty|json|markdown|junit] [--output FILE]',
  options: {
    snapshot: { type: 'string' },
    rows: { type: 'string' },
    seed: { type: 'string' },
    applied: { type: 'string' },
    provider: { type: 'string' },
    'pg-version': { type: 'string' },
    image: { type: 'string' },
    url: { type: 'string' },
    'migrations-dir': { type: 'string' },
    'prisma-version': { type: 'string' },
    load: { type: 'boolean' },
    'max-rewrite-rows': { type: 'string' },
    'slow-ms': { type: 'string' },
    'no-rollback': { type: 'boolean' },
    jobs: { type: 'string' },
    format: { type: 'string', default: 'pretty' },
    output: { type: 'string' },
    since: { type: 'string' },
    config: { type: 'string' },
  },
  async run(values, positionals, io) {
    const render = FORMATS[values.format as string]
    if (!render) throw new UsageError('KDB_FORMAT', `unknown format "${values.format}"`, { hint: `Use one of: ${Object.keys(FORMATS).join(', ')}.` })
    if (positionals.length > 1) throw new UsageError('KDB_USAGE', 'verify takes at most one project folder', { hint: 'Run it inside the project, or pass its folder.' })
    const cwd = resolve(io.cwd, positionals[0] ?? '.')
    let applied = values.applied as string | undefined
    if (values.since !== undefined) {
      if (applied !== undefined) throw new UsageError('KDB_USAGE', '--since and --applied cannot be combined', { hint: '--since decides which migrations are pending.' })
      const pending = await pendingSince(cwd, values.since as string, values['migrations-dir'] as string | undefined, values['prisma-version'] as string | undefined)
      if (pending.problems.length) {
        for (const p of pending.problems) io.stderr.write(`koinonia-db verify: ${p.message}\n`)
        return EXIT.findings
      }
      if (pending.applied === null) {
        io.stderr.write(`koinonia-db verify: no migrations changed since ${values.since}; nothing to verify\n`)
        return EXIT.ok
      }
      applied = String(pending.applied)
    }
    const progress = io.stderr.isTTY ? (m: string) => io.stderr.write(`… ${m}\n`) : undefined
    // Flags win over koinonia.config.*; paths in the config are relative to its folder.
    const { loadConfig } = await import('../../config/load-config.js')
    const { config, path: configPath } = await loadConfig({ cwd, path: values.config as string | undefined })
    const fromConfig = (p: string | undefined) => (p && configPath && !/^postgres(ql)?:\/\//.test(p) ? resolve(dirname(configPath), p) : p)
    const result = await verify({
      cwd,
      snapshot: (values.snapshot as string | undefined) ?? fromConfig(config.snapshot),
      rows: integer(values, 'rows') ?? config.rows,
      seed: integer(values, 'seed') ?? config.seed,
      applied,
      provider: (values.provider as ProviderName | undefined) ?? config.provider,
      pgVersion: integer(values, 'pg-version') ?? config.pgVersion,
      image: (values.image as string | undefined) ?? config.image,
      url: (values.url as string | undefined) ?? config.url,
      migrationsDir: (values['migrations-dir'] as string | undefined) ?? fromConfig(config.migrationsDir),
      prismaVersion: (values['prisma-version'] as string | undefined) ?? config.prismaVersion,
      load: (values.load as boolean | undefined) ?? config.load,
      maxRewriteRows: integer(values, 'max-rewrite-rows') ?? config.maxRewriteRows,
      slowMs: integer(values, 'slow-ms') ?? config.slowMs,
      noRollback: values['no-rollback'] as boolean | undefined,
      jobs: integer(values, 'jobs') ?? config.jobs,
      signal: io.signal,
      onProgress: progress,
    })
    const text = render(result)
    if (values.output) {
      await writeFile(resolve(io.cwd, values.output as string), text)
      io.stderr.write(`koinonia-db verify: ${result.verdict} (report written to ${values.output})\n`)
    } else (values.format === 'pretty' ? io.stderr : io.stdout).write(text)
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
