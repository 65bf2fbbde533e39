import { displayName } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { aLock } from '../locks.js'

export const banVacuumFull = defineRule({
  id: 'ban-vacuum-full',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'VACUUM FULL rewrites the whole table under an ACCESS EXCLUSIVE lock.',
    why: 'It copies every live row into a new file and rebuilds every index while reads and writes wait, and needs room for a second copy of the table.',
    safeAlternative: 'Plain VACUUM (no blocking lock) to make space reusable; to give space back to the OS online, use pg_repack or pg_squeeze.',
    bad: 'VACUUM FULL events;',
    good: 'VACUUM (ANALYZE) events;',
  },
  check(stmt, ctx) {
    const node = stmt.VacuumStmt
    if (!node?.is_vacuumcmd || !(node.options ?? []).some((o: { DefElem?: { defname?: string } }) => o.DefElem?.defname === 'full')) return
    const rels = (node.rels ?? []).map((r: { VacuumRelation?: { relation?: unknown } }) => r.VacuumRelation?.relation).filter(Boolean)
    if (rels.length && rels.every((r: unknown) => ctx.isNewTable(r))) return
    const target = rels.length ? rels.map(displayName).join(', ') : 'every table of the database'
    return {
      message: `VACUUM FULL rewrites ${target} and its indexes under ${aLock('ACCESS EXCLUSIVE', rels.length ? target : null)} for the whole copy.`,
      suggestion: `VACUUM (ANALYZE) ${rels.map(displayName).join(', ')}; -- makes dead space reusable without blocking\n-- to shrink the file online: pg_repack --table ${rels.length ? displayName(rels[0]) : '<table>'}`.replace(' ;', ';'),
    }
  },
})
