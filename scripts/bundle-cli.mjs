// Bundles the CLI (run by `npm run build` after tsc): dist/cli/main.js becomes one module for the
// start of every command plus a chunk per lazily loaded part in dist/cli/chunks/. Loading ~90 small
// ES modules cost a `koinonia-db lint` run ~50 ms before any work (resolve, read, compile each);
// docs/linter.md "Performance". The library (dist/index.js and the rest of dist/) stays tsc's output,
// dist/cli/** included: the bin does not load it, but `npm run docs` does (dist/docs/generate-docs.js
// imports dist/cli/run-cli.js and dist/cli/commands/index.js, which imports every command module).
// Dependencies in node_modules are not bundled. The chunks sit at the same depth below the package
// root as the modules they replace (dist/cli/chunks/ as dist/linter/report/), so the few
// `new URL('../../..', import.meta.url)` lookups of package.json still land on the package root.
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// Chunk names carry a content hash: without this, every build would leave the previous ones behind.
rmSync(`${root}dist/cli/chunks`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  allowOverwrite: true,
  logLevel: 'warning',
})
// tsc's source map describes the module this bundle replaced.
rmSync(`${root}dist/cli/main.js.map`, { force: true })
