import { defineRule } from '../define-rule.js'
import { alterCmds, lockOf, ownMigrationNote } from '../rule-helpers.js'

export const requireConcurrentDetachPartition = defineRule({
  id: 'require-concurrent-detach-partition',
  category: 'lock',
  severity: 'warning',
  docs: {
    summary: 'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table (PG >= 14 has CONCURRENTLY).',
    why: 'Every read and write of the whole partitioned table waits for the lock, and queues behind it while it waits for running queries.',
    safeAlternative: 'ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, outside a transaction block (SHARE UPDATE EXCLUSIVE on the parent).',
    bad: 'ALTER TABLE measurements DETACH PARTITION measurements_2020;',
    good: 'ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;',
  },
  pg: { min: 14 },
  check(stmt, ctx) {
    const found = alterCmds(stmt, 'AT_DetachPartition')
    const cmd = found?.cmds.find((c) => !c.def?.PartitionCmd?.concurrent)
    if (!found || !cmd || ctx.isNewTable(found.alter.relation)) return
    const parent = ctx.name(found.alter.relation)
    const child = ctx.name(cmd.def?.PartitionCmd?.name)
    return {
      message: `DETACH PARTITION ${child} takes ${lockOf(ctx)}: all traffic to the partitioned table waits.`,
      suggestion: `ALTER TABLE ${parent} DETACH PARTITION ${child} CONCURRENTLY;${ownMigrationNote(ctx)}`,
    }
  },
})
