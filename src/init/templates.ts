import type { ProjectInfo } from './detect-project.js'
import { execPrefix } from './detect-project.js'
import { CONFIG_SCHEMA_PATH } from '../config/config-schema.js'

export const HOOK_COMMAND = 'koinonia-db lint --staged'

/** The config file, pointing editors at its JSON Schema in the installed package. */
export function configFile(_info: ProjectInfo, pgVersion: number): string {
  return `${JSON.stringify({ $schema: `./node_modules/koinonia-db/${CONFIG_SCHEMA_PATH}`, pgVersion }, null, 2)}\n`
}

export function gitHook(info: ProjectInfo): string {
  return `#!/bin/sh
# koinonia-db: lint migrations staged for commit (no database needed).
${execPrefix(info.packageManager)} ${HOOK_COMMAND}
`
}

export function huskyLine(info: ProjectInfo): string {
  return `${execPrefix(info.packageManager)} ${HOOK_COMMAND}\n`
}

export function workflow(info: ProjectInfo): string {
  const install = { npm: 'npm ci', pnpm: 'pnpm install --frozen-lockfile', yarn: 'yarn install --frozen-lockfile', bun: 'bun install --frozen-lockfile' }[info.packageManager]
  return `# Written by \`koinonia-db init\`: the migration gate on every pull request.
name: migrations
on:
  pull_request:
    paths:
      - '${info.migrationsDir}/**'
permissions:
  contents: read
  security-events: write
  pull-requests: write
jobs:
  koinonia-db:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: ${install}
      - name: Lint new migrations
        run: ${execPrefix(info.packageManager)} koinonia-db lint --since origin/\${{ github.base_ref }} --format github
      - name: Verify pending migrations on a throwaway Postgres
        run: ${execPrefix(info.packageManager)} koinonia-db verify --since origin/\${{ github.base_ref }} --format markdown --output koinonia-report.md
      - name: Job summary
        if: always()
        run: test -f koinonia-report.md && cat koinonia-report.md >> "$GITHUB_STEP_SUMMARY" || true
`
}
