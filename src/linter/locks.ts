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
// One frozen list per answer, shared by every statement's report: 20,000 statements kept 20,000
// copies alive to the end of a run (the garbage collector moves each of them twice).
const BLOCKS_ALL: readonly Blocked[] = Object.freeze(['reads', 'writes', 'schema changes'])
const BLOCKS_WRITES: readonly Blocked[] = Object.freeze(['writes', 'schema changes'])
const BLOCKS_SCHEMA: readonly Blocked[] = Object.freeze(['schema changes'])
const BLOCKS_NOTHING: readonly Blocked[] = Object.freeze([])

export function blockedBy(mode: LockMode | null): readonly Blocked[] {
  switch (mode) {
    case 'ACCESS EXCLUSIVE':
      return BLOCKS_ALL
    case 'EXCLUSIVE':
    case 'SHARE ROW EXCLUSIVE':
    case 'SHARE':
      return BLOCKS_WRITES
    case 'SHARE UPDATE EXCLUSIVE':
      return BLOCKS_SCHEMA
    default:
      return BLOCKS_NOTHING
  }
}

/** "ACCESS EXCLUSIVE lock on \"users\" (blocks reads, writes and schema changes)" */
export function describeLock(mode: LockMode, table: string | null): string {
  const on = table ? ` on ${table}` : ''
  return `${mode} lock${on} (${blocksText(mode)})`
}

/** A lock mode's blocksPhrase, written once per mode: most findings say it. */
function blocksText(mode: LockMode): string {
  let text = BLOCKS_TEXT.get(mode)
  if (text === undefined) BLOCKS_TEXT.set(mode, (text = blocksPhrase(blockedBy(mode))))
  return text
}
const BLOCKS_TEXT = new Map<LockMode, string>()

/** "blocks reads, writes and schema changes", "blocks nothing". */
export function blocksPhrase(blocks: readonly Blocked[]): string {
  return blocks.length === 0 ? 'blocks nothing' : `blocks ${joinWords(blocks)}`
}

/** "an ACCESS EXCLUSIVE lock on users (blocks ...)", "a SHARE lock ...": describeLock with its article. */
export function aLock(mode: LockMode, table: string | null): string {
  return `${/^[AEIOU]/.test(mode) ? 'an' : 'a'} ${describeLock(mode, table)}`
}

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('')
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}
