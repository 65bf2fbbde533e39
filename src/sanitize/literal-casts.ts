import type pg from 'pg'
import type { PlanProblem, SanitizePlan } from './plan.js'
import { STRATEGIES } from './strategies/index.js'

/**
 * Values the rules give as they are (a constant's value, a choice's values) that the column's type
 * cannot hold: found on the target before anything is masked, with Postgres' own words, instead of
 * failing that table's rewrite halfway through a run.
 */
export async function literalProblems(client: pg.Client, plan: SanitizePlan): Promise<PlanProblem[]> {
  const problems: PlanProblem[] = []
  for (const t of plan.tables) {
    for (const m of t.masked) {
      for (const value of STRATEGIES[m.strategy].literals?.(m.params) ?? []) {
        try {
          await client.query(`SELECT $1::text::${m.sqlType}`, [value])
        } catch (error) {
          problems.push({ code: 'KDB_SANITIZE_VALUE', table: t.table, column: m.column, origin: m.origin,
            message: `${t.table}.${m.column}: ${m.strategy} value ${JSON.stringify(value)} does not fit ${m.sqlType}: ${(error as Error).message}` })
          break
        }
      }
    }
  }
  return problems
}
