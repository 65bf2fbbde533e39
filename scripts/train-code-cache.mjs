// Makes the CLI bundle's V8 code cache (src/cli/code-cache.ts), run by scripts/bundle-cli.mjs: in a
// fresh process, under the bin's V8 flags, it runs the commands a user runs most (lint in the
// formats hooks and CI use, on every rule's examples and on a file large enough for the two-thread
// parse, and rules), so their functions are compiled, then writes what V8 compiled.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { cachePath, loadCliBundle, saveCodeCache } from '../dist/cli/code-cache.js'
import { ONE_SHOT_V8_FLAGS } from '../dist/cli/one-shot-v8-flags.js'
import { MIN_CHARS } from '../dist/linter/second-core.js'

setFlagsFromString(ONE_SHOT_V8_FLAGS)
const bundle = fileURLToPath(new URL('../dist/cli/koinonia-db.cjs', import.meta.url))
const loaded = loadCliBundle(bundle)
const cli = loaded.exports

const dir = mkdtempSync(join(tmpdir(), 'kdb-train-'))
try {
  const run = async (...argv) => {
    const out = []
    const err = []
    const io = { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) }, cwd: dir, env: {}, signal: new AbortController().signal }
    const code = await cli.runCli(argv, io)
    if (code > 1) throw new Error(`koinonia-db ${argv.join(' ')} exited ${code} while making the code cache\n${err.join('')}`)
    return out.join('')
  }
  const ids = JSON.parse(await run('rules', '--format', 'json')).rules.map((r) => r.id)
  const rules = JSON.parse(await run('rules', ...ids, '--format', 'json')).rules
  const history = join(dir, 'migrations')
  mkdirSync(history)
  // Every rule has SQL that fires; some also show SQL that passes.
  const examples = rules.flatMap((r) => [r.bad, r.good]).filter((sql) => sql !== undefined)
  examples.forEach((sql, i) => writeFileSync(join(history, `${String(i).padStart(4, '0')}.sql`), `${sql}\n`))
  for (const format of ['pretty', 'json', 'github', 'sarif']) await run('lint', '--format', format, history)
  // Above the size at which a file is parsed on two threads (second-core.ts).
  const all = `${examples.join('\n')}\n`
  mkdirSync(join(dir, 'large'))
  writeFileSync(join(dir, 'large', 'migration.sql'), all.repeat(Math.ceil((MIN_CHARS * 1.2) / all.length)))
  await run('lint', '--format', 'json', join(dir, 'large', 'migration.sql'))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
saveCodeCache(cachePath(bundle), loaded)
