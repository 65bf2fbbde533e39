// Writes the generated documentation (rule pages, CLI reference) from the built package.
// Run through `npm run docs` (which builds first). test/docs/docs-fresh.test.ts fails when they are stale.
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateDocs } from '../dist/docs/generate-docs.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const files = await generateDocs()
// Pages of rules that no longer exist go too.
const rulesDir = join(root, 'docs', 'rules')
mkdirSync(rulesDir, { recursive: true })
for (const name of readdirSync(rulesDir)) if (!files.has(`docs/rules/${name}`)) rmSync(join(rulesDir, name))
for (const [path, content] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), content)
}
console.log(`wrote ${files.size} files`)
