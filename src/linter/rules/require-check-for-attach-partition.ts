import { tableKey } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { aLock } from '../locks.js'
import { alterCmds, withEnd } from '../rule-helpers.js'

export const requireCheckForAttachPartition = defineRule({
  id: 'require-check-for-attach-partition',
  category: 'constraint',
  severity: 'warning',
  docs: {
    summary: 'ATTACH PARTITION scans the partition to prove its bound unless a validated CHECK constraint already proves it.',
    why: 'Postgres reads every row of the table being attached (and of a DEFAULT partition, if any) under an ACCESS EXCLUSIVE lock on it; before PG 12 the partitioned table itself is locked ACCESS EXCLUSIVE for the whole scan.',
    safeAlternative: 'First add a CHECK constraint matching the partition bound NOT VALID and VALIDATE it (no blocking lock), then ATTACH: the scan is skipped. Drop the CHECK afterwards.',
    bad: "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
    good: "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound CHECK (at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\nALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound;\nALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
  },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_AttachPartition')
    const cmd = found?.cmds[0]
    const partition = cmd?.def?.PartitionCmd?.name
    if (!found || !partition || ctx.isNewTable(partition) || ctx.facts.checkedTables.has(tableKey(partition))) return
    const parent = ctx.name(found.alter.relation)
    const child = ctx.name(partition)
    const old = ctx.pgVersion < 12
    const check = `${partition.relname}_bound`
    return {
      severity: old ? 'error' : undefined,
      message: old
        ? `ATTACH PARTITION ${child} scans it to prove the bound while holding ${aLock('ACCESS EXCLUSIVE', parent)} (PG ${ctx.pgVersion}).`
        : `ATTACH PARTITION ${child} scans every row of it (and of a DEFAULT partition of ${parent}, if any) under ${aLock('ACCESS EXCLUSIVE', child)} to prove the bound.`,
      suggestion: `ALTER TABLE ${child} ADD CONSTRAINT ${check} CHECK (/* the partition bound as an expression */ true) NOT VALID;\nALTER TABLE ${child} VALIDATE CONSTRAINT ${check}; -- no blocking lock\n${withEnd(ctx.statement.text, ';')} -- no scan now\nALTER TABLE ${child} DROP CONSTRAINT ${check};`,
    }
  },
})

