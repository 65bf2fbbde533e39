// Bundles the CLI (run by `npm run build` after tsc). Loading ~90 small ES modules cost a
// `koinonia-db lint` run ~50 ms before any work (resolve, read, compile each); docs/linter.md
// "Performance". Two outputs:
// - dist/cli/koinonia-db.cjs: the whole CLI (src/cli/start-cli.ts and all it imports) as one CommonJS
//   script, which the bin runs through node:vm with a V8 code cache (src/cli/code-cache.ts). CommonJS,
//   because node:vm compiles scripts, and a script deserialized from a cache cannot import(): esbuild
//   turns every dynamic import into a require, lazily run as before. `import.meta.url` becomes the
//   bundle's own URL: lookups relative to it must not depend on the module's depth (package-version.ts).
// - dist/cli/main.cjs: the bin, one small CommonJS script (an ES module entry costs node ~4 ms more
//   to start: its module loader).
// Then scripts/train-code-cache.mjs runs the bundle's commands once in a fresh process and writes the
// cache. The library (dist/index.js and the rest of dist/) stays tsc's output, dist/cli/** included:
// `npm run docs` imports dist/cli/run-cli.js and dist/cli/commands/index.js. Dependencies in
// node_modules are not bundled.
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildLine } from '../dist/cli/code-cache.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = `${root}dist/cli/koinonia-db.cjs`
// Left by builds before the one-script bundle.
rmSync(`${root}dist/cli/chunks`, { recursive: true, force: true })
rmSync(`${bundle}.cache`, { force: true })

const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' }
// CommonJS has no import.meta: each bundle's `import.meta.url` is its own file's URL.
const cjs = {
  define: { 'import.meta.url': '__kdbImportMetaUrl' },
  // "use strict" first: after the banner, esbuild's own would not be the script's directive.
  banner: { js: '"use strict";\nvar __kdbImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
}
const { outputFiles } = await build({
  ...common,
  ...cjs,
  entryPoints: ['src/cli/start-cli.ts'],
  write: false,
  outfile: bundle,
  format: 'cjs',
  supported: { 'dynamic-import': false },
})
const code = outputFiles[0].text
// The build id (code-cache.ts): a cache is only used with the bundle it was made from.
const id = createHash('sha256').update(code).digest('hex').slice(0, 16)
writeFileSync(bundle, `${buildLine(id)}${code}`)

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli/main.cjs', format: 'cjs', define: cjs.define, banner: cjs.banner })
// tsc's module of the bin becomes a shim to it: the bin was dist/cli/main.js before, and links to
// that path stay (npx's cache of this repository's own bin, scripts that name the file).
for (const file of ['main.js.map', 'main.d.ts']) rmSync(`${root}dist/cli/${file}`, { force: true })
writeFileSync(`${root}dist/cli/main.js`, "#!/usr/bin/env node\n// The bin is main.cjs; this path is kept for links made to it before.\nimport './main.cjs'\n")
// Executable, like the bin: the links made to it run it directly (tsc wrote the file without the bit).
chmodSync(`${root}dist/cli/main.js`, 0o755)

// The cache only makes the start faster: without it (no writable temp folder, say) the build still
// succeeds and the CLI compiles its bundle as usual. test/cli/code-cache.test.ts checks it was made.
try {
  execFileSync(process.execPath, [`${root}scripts/train-code-cache.mjs`], { stdio: ['ignore', 'inherit', 'inherit'] })
} catch (error) {
  rmSync(`${bundle}.cache`, { force: true })
  console.warn(`warning: the CLI's code cache was not made (${error.message.split('\n')[0]}); the CLI runs without it`)
}
