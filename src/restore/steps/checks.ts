import { setTimeout as sleep } from 'node:timers/promises'
import type { NormalizedDrillOptions } from '../drill-options.js'
import type { RecoveryCluster } from '../recovery-cluster.js'
import type { DrillCheck } from '../types.js'
import { checkAssertions, checkChecksums, checkIndexes, checkMarkers, checkReference } from '../verify.js'

/** Read-only checks, run while recovery is paused at the target (hot standby), before anything is promoted. */
export async function runChecks(cluster: RecoveryCluster, options: NormalizedDrillOptions): Promise<DrillCheck[]> {
  return [
    ...(await checkMarkers(cluster, options.markers, options.database)),
    ...(options.reference ? await checkReference(cluster, options.reference) : []),
    ...(await checkAssertions(cluster, options.assertions, options.database)),
  ]
}

/**
 * Ends recovery paused at its target and waits until the server leaves recovery (a new timeline begins).
 * pg_wal_replay_resume() is what the server's own HINT says at a pause target; it wakes the startup
 * process at once, where pg_promote() waits for its next one-second check.
 */
export async function promote(cluster: RecoveryCluster): Promise<void> {
  await cluster.sql('SELECT pg_wal_replay_resume()')
  for (let i = 0; i < 600; i++) {
    if (!(await cluster.sql('SELECT pg_is_in_recovery() AS r')).rows[0].r) return
    await sleep(100)
  }
  throw new Error('the server did not leave recovery within 60 s of pg_promote')
}

/** Checks that need a writable server (amcheck is installed with CREATE EXTENSION), then checksum failures. */
export async function verifyPromoted(cluster: RecoveryCluster, options: NormalizedDrillOptions): Promise<DrillCheck[]> {
  const checks = options.amcheck ? await checkIndexes(cluster) : []
  checks.push(await checkChecksums(cluster))
  return checks
}
