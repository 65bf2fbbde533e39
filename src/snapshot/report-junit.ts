import { junitDocument, type JunitCase } from '../report/junit-xml.js'
import type { VerifyResult } from './types.js'

/** JUnit XML for `verify`: a case per migration, one per lost column or table, one for the rollback proof. */
export function renderVerifyJunit(result: VerifyResult): string {
  const migrations: JunitCase[] = result.migrations.map((m) => {
    const c: JunitCase = { classname: 'migrations', name: m.name }
    if (m.status === 'failed' && m.error)
      c.failure = { message: m.error.message, type: m.error.code ?? 'failed', body: `${m.path}${m.error.line ? `:${m.error.line}` : ''}\n${m.error.statement ?? ''}\n${m.error.message}` }
    return c
  })
  const data: JunitCase[] = result.dataLoss.map((loss) => {
    const name = `${loss.table}${loss.column ? `.${loss.column}` : ''}`
    const c: JunitCase = { classname: 'data', name }
    if (!loss.declared)
      c.failure = { message: `${loss.values} value(s) lost`, type: 'data-loss', body: `${name}: ${loss.values} non-null value(s) lost${loss.migration ? ` by ${loss.migration}` : ''}` }
    return c
  })
  const rollback: JunitCase = { classname: 'rollback', name: 'schema and data return to the baseline' }
  if (result.rollback.ran && (result.rollback.schemaMatches === false || result.rollback.dataMatches === false))
    rollback.failure = {
      message: 'rollback does not restore the baseline',
      type: 'rollback',
      body: [...result.rollback.schemaDifferences, ...result.rollback.dataDifferences].join('\n'),
    }
  const gate: JunitCase = { classname: 'gate', name: 'verdict' }
  if (result.verdict === 'fail') gate.failure = { message: 'the migration gate fails', type: 'gate', body: result.reasons.join('\n') }
  return junitDocument('koinonia-db verify', [
    { name: 'migrations', cases: migrations },
    { name: 'data', cases: data },
    { name: 'rollback', cases: [rollback] },
    { name: 'gate', cases: [gate] },
  ])
}
