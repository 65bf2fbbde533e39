import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateDocs } from '../../src/docs/generate-docs.js'

const root = join(import.meta.dirname, '..', '..')

describe('generated docs', () => {
  it('match the rule metadata, the linter output and the CLI help (run `npm run docs` when this fails)', async () => {
    const files = await generateDocs()
    const stale = [...files].filter(([path, content]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== content).map(([p]) => p)
    expect(stale, `stale: run \`npm run docs\``).toEqual([])
    const extra = readdirSync(join(root, 'docs', 'rules')).filter((f) => !files.has(`docs/rules/${f}`))
    expect(extra, 'pages of rules that no longer exist').toEqual([])
  })

  it('show the real finding of each rule on its own bad example', async () => {
    const files = await generateDocs()
    const missing = [...files].filter(([p, c]) => p.startsWith('docs/rules/') && !p.endsWith('README.md') && c.includes('## Fires on') && !c.includes('What `koinonia-db lint` reports'))
    expect(missing.map(([p]) => p)).toEqual([])
  })
})
