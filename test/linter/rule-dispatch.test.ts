import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { generateMigration } from '../../bench/generate-migration.mjs'
import { statementNode } from '../../src/linter/ast.js'
import { makeContext } from '../../src/linter/context.js'
import { defineRule } from '../../src/linter/define-rule.js'
import { migrationFiles } from '../../src/linter/discover.js'
import { statementEffects } from '../../src/linter/effects.js'
import { MigrationFacts } from '../../src/linter/migration-facts.js'
import { ensureParser, parseStatements } from '../../src/linter/parse.js'
import { ruleAppliesTo } from '../../src/linter/rule-dispatch.js'
import { RULES } from '../../src/linter/rules/index.js'

beforeAll(() => ensureParser())

const docs = { summary: 's', why: 'w', safeAlternative: 'a' }

describe('ruleAppliesTo', () => {
  it('skips a kind only when the rule returned without looking at the node or the context', () => {
    const indexOnly = defineRule({ id: 'probe-index', category: 'index', severity: 'error', docs, check: (stmt) => stmt.IndexStmt?.concurrent === false && { message: 'm', suggestion: 's' } })
    expect(ruleAppliesTo(indexOnly, 'IndexStmt')).toBe(true)
    expect(ruleAppliesTo(indexOnly, 'AlterTableStmt')).toBe(false)
    const byKind = defineRule({ id: 'probe-kind', category: 'index', severity: 'error', docs, check: (stmt) => { const [kind, node] = statementNode(stmt); return kind === 'DropStmt' && node.removeType === 'OBJECT_INDEX' && { message: 'm', suggestion: 's' } } })
    expect(ruleAppliesTo(byKind, 'DropStmt')).toBe(true)
    expect(ruleAppliesTo(byKind, 'CreateStmt')).toBe(false)
    const usesContext = defineRule({ id: 'probe-ctx', category: 'lock', severity: 'error', docs, check: (_stmt, ctx) => ctx.effects.lock === 'ACCESS EXCLUSIVE' && { message: 'm', suggestion: 's' } })
    expect(ruleAppliesTo(usesContext, 'CommentStmt')).toBe(true)
    const throws = defineRule({ id: 'probe-throws', category: 'lock', severity: 'error', docs, check: (stmt) => stmt.X.y })
    expect(ruleAppliesTo(throws, 'CommentStmt')).toBe(true)
  })

  // The soundness claim, checked against every real rule: where dispatch skips a rule, running it finds nothing.
  it('never skips a rule that would have fired, on generated and real migrations', () => {
    const samples: string[] = [0, 1, 2].map((seed) => generateMigration(1500, seed).sql)
    const corpus = fileURLToPath(new URL('../../../shared/corpora/prisma', import.meta.url))
    if (existsSync(corpus)) samples.push(...migrationFiles(corpus).map((f) => readFileSync(f, 'utf8')))
    let skipped = 0
    for (const sql of samples) {
      const statements = parseStatements(sql)
      const facts = new MigrationFacts()
      for (const statement of statements) {
        const effects = statementEffects(statement.stmt, 15)
        const transaction = facts.explicitTransaction ? 'explicit' : 'implicit'
        const ctx = makeContext({ pgVersion: 15, allStatements: () => statements, prisma: { version: null, mode: 'single-query' }, facts }, statement, effects, transaction)
        for (const rule of RULES) {
          if (ruleAppliesTo(rule, statement.kind)) continue
          skipped++
          const hit = rule.check(statement.stmt, ctx)
          if (hit && (!Array.isArray(hit) || hit.length)) expect.fail(`${rule.id} was skipped for ${statement.kind} but fires on: ${statement.text}`)
        }
        facts.record(statement.stmt, effects, true)
      }
    }
    expect(skipped).toBeGreaterThan(0)
  })
})
