import { LOCK_MODES, type Blocked, type LockMode } from './types.js'

/** Strength order of lock modes; the larger conflicts with more. */
export function lockRank(mode: LockMode | null): number {
  return mode === null ? -1 : LOCK_MODES.indexOf(mode)
}

export function strongerLock(a: LockMode | null, b: LockMode | null): LockMode | null {
  return lockRank(b) > lockRank(a) ? b : a
}

/**
 * What a lock makes ordinary traffic wait for, from the conflict table in
 * https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES
 * reads = SELECT (ACCESS SHARE), writes = INSERT/UPDATE/DELETE (ROW EXCLUSIVE),
 * schema changes = VACUUM, CREATE INDEX CONCURRENTLY, ALTER TABLE (SHARE UPDATE EXCLUSIVE and up).
 * The row-level modes taken by plain DML are reported as blocking nothing: they are the traffic.
 */
export function blockedBy(mode: LockMode | null): Blocked[] {
  switch (mode) {
    case 'ACCESS EXCLUSIVE':
      return ['reads', 'writes', 'schema changes']
    case 'EXCLUSIVE':
    case 'SHARE ROW EXCLUSIVE':
    case 'SHARE':
      return ['writes', 'schema changes']
    case 'SHARE UPDATE EXCLUSIVE':
      return ['schema changes']
    default:
      return []
  }
}

/** "ACCESS EXCLUSIVE lock on \"users\" (blocks reads, writes and schema changes)" */
export function describeLock(mode: LockMode, table: string | null): string {
  const blocks = blockedBy(mode)
  const on = table ? ` on ${table}` : ''
  const what = blocks.length === 0 ? 'blocks nothing' : `blocks ${joinWords(blocks)}`
  return `${mode} lock${on} (${what})`
}

/** "an ACCESS EXCLUSIVE lock on users (blocks ...)", "a SHARE lock ...": describeLock with its article. */
export function aLock(mode: LockMode, table: string | null): string {
  return `${/^[AEIOU]/.test(mode) ? 'an' : 'a'} ${describeLock(mode, table)}`
}

export function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('')
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}
