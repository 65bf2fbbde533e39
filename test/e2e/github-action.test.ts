import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import AjvDraft04 from 'ajv-draft-04'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixturePullRequest } from '../helpers/fixture-pr.js'

// The package is CommonJS with the class as module.exports and as .default; its types know only .default.
const Ajv = AjvDraft04.default

const ROOT = resolve(import.meta.dirname, '../..')
let repo: string
let out: string

// A pull request on the example project: main has the applied migrations, the branch adds the rest.
beforeAll(() => {
  repo = fixturePullRequest(['20250515090000_index_messages_by_sent_at', '20250612081500_rename_contact_notes_to_memo'], { '.gitignore': '.out\n' })
  out = join(repo, '.out')
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

describe('action.yml', () => {
  it('runs scripts that exist in this repository', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
    const scripts = action.runs.steps.filter((s: { run?: string }) => s.run?.includes('action/')).map((s: { run: string }) => /action\/[\w.-]+/.exec(s.run)?.[0])
    expect(scripts).toEqual(['action/gate.sh', 'action/comment.sh'])
    for (const s of scripts) expect(existsSync(join(ROOT, s))).toBe(true)
  })

  it("the gate step on a pull request: fails, writes valid SARIF, the job summary and the verdict output", () => {
    const summary = join(repo, '.out-summary.md')
    const output = join(repo, '.out-output')
    const run = spawnSync('bash', [join(ROOT, 'action/gate.sh')], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, GITHUB_ACTION_PATH: ROOT, KDB_BASE_REF: 'main', KDB_PG_VERSION: '15', KDB_VERIFY: 'true', KDB_OUT: out, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output },
    })
    expect(run.status, run.stderr).toBe(1)
    expect(run.stdout).toContain('::error file=prisma/migrations/20250515090000_index_messages_by_sent_at/migration.sql')
    const schema = JSON.parse(readFileSync(join(ROOT, 'fixtures/sarif/sarif-2.1.0-rtm.5.json'), 'utf8'))
    const validate = new Ajv({ strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema)
    const sarif = JSON.parse(readFileSync(join(out, 'lint.sarif'), 'utf8'))
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true)
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('require-concurrent-index')
    const report = readFileSync(summary, 'utf8')
    expect(report).toContain('koinonia-db lint')
    expect(report).toMatch(/notes/)
    expect(readFileSync(output, 'utf8')).toContain('verdict=fail')
  })

  it('the comment step creates one PR comment, then updates it in place', () => {
    // A stand-in for the `gh` CLI (the runner has it; this machine has no GitHub): it records the API calls.
    const bin = join(repo, '.out-bin')
    mkdirSync(bin, { recursive: true })
    const calls = join(repo, '.out-calls')
    writeFileSync(join(bin, 'gh'), `#!/bin/sh\necho "$*" >> ${calls}\nif [ "$2" = "repos/acme/app/issues/7/comments" ] && [ -f ${calls}.existing ]; then echo 4242; fi\n`)
    chmodSync(join(bin, 'gh'), 0o755)
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, KDB_OUT: out, KDB_PR: '7', GITHUB_REPOSITORY: 'acme/app' }
    expect(spawnSync('bash', [join(ROOT, 'action/comment.sh')], { cwd: repo, env, encoding: 'utf8' }).status).toBe(0)
    writeFileSync(`${calls}.existing`, '')
    expect(spawnSync('bash', [join(ROOT, 'action/comment.sh')], { cwd: repo, env, encoding: 'utf8' }).status).toBe(0)
    const log = readFileSync(calls, 'utf8').trim().split('\n')
    expect(log.filter((l) => l.includes('-X POST'))).toHaveLength(1)
    expect(log.filter((l) => l.includes('-X PATCH repos/acme/app/issues/comments/4242'))).toHaveLength(1)
    expect(readFileSync(join(out, 'comment.md'), 'utf8')).toMatch(/^<!-- koinonia-db-report -->/)
  })
})
