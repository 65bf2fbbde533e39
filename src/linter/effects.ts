import { alterCommands, displayName, statementNode } from './ast.js'
import { strongerLock } from './locks.js'
import type { AstNode, LockMode } from './types.js'

/** What a statement does to the table it touches, independent of whether that is a problem. */
export interface StatementEffects {
  lock: LockMode | null
  /** The table (RangeVar) the strongest lock is taken on. */
  table: AstNode | null
  /** Display name of that table. */
  tableName: string | null
  /** The table or an index is rewritten (new relfilenode). */
  rewrite: boolean
  /** Every row is read while the lock is held (validation, index build). */
  scan: boolean
}

const NONE: StatementEffects = { lock: null, table: null, tableName: null, rewrite: false, scan: false }

function on(table: AstNode, lock: LockMode, extra: Partial<StatementEffects> = {}): StatementEffects {
  return { lock, table, tableName: table ? displayName(table) : null, rewrite: false, scan: false, ...extra }
}

/**
 * Lock levels from the Postgres docs (explicit-locking.html, sql-altertable.html) and
 * AlterTableGetLockLevel() in src/backend/commands/tablecmds.c.
 */
const ALTER_LOCKS: Record<string, LockMode> = {
  AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_SetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ValidateConstraint: 'SHARE UPDATE EXCLUSIVE',
  AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE',
  AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_SetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_AttachPartition: 'SHARE UPDATE EXCLUSIVE',
  AT_DetachPartitionFinalize: 'SHARE UPDATE EXCLUSIVE',
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableAlwaysTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableReplicaTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrig: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigUser: 'SHARE ROW EXCLUSIVE',
}

function alterCommandLock(cmd: AstNode, pgVersion: number): LockMode {
  if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN') return 'SHARE ROW EXCLUSIVE'
  if (cmd.subtype === 'AT_AttachPartition' && pgVersion < 12) return 'ACCESS EXCLUSIVE'
  if (cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent) return 'SHARE UPDATE EXCLUSIVE'
  return ALTER_LOCKS[cmd.subtype] ?? 'ACCESS EXCLUSIVE'
}

export function statementEffects(stmt: AstNode, pgVersion: number): StatementEffects {
  const [kind, node] = statementNode(stmt)
  switch (kind) {
    case 'AlterTableStmt': {
      if (node.objtype === 'OBJECT_INDEX') return on(node.relation, 'SHARE UPDATE EXCLUSIVE')
      let lock: LockMode | null = null
      for (const cmd of alterCommands(node)) lock = strongerLock(lock, alterCommandLock(cmd, pgVersion))
      return lock ? on(node.relation, lock) : NONE
    }
    case 'IndexStmt':
      return on(node.relation, node.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', { scan: true })
    case 'DropStmt':
      if (node.removeType === 'OBJECT_INDEX') return { ...NONE, lock: node.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' }
      if (['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(node.removeType)) {
        const first = node.objects?.[0]?.List?.items ?? []
        const parts = first.map((n: AstNode) => n.String?.sval)
        const table = parts.length ? { schemaname: parts.length > 1 ? parts[0] : undefined, relname: parts[parts.length - 1] } : null
        return on(table, 'ACCESS EXCLUSIVE')
      }
      return NONE
    case 'RenameStmt':
      if (node.renameType === 'OBJECT_INDEX') return on(node.relation, pgVersion >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE')
      return node.relation ? on(node.relation, 'ACCESS EXCLUSIVE') : NONE
    case 'TruncateStmt':
      return on(node.relations?.[0]?.RangeVar, 'ACCESS EXCLUSIVE')
    case 'VacuumStmt': {
      const full = (node.options ?? []).some((o: AstNode) => o.DefElem?.defname === 'full')
      const rel = node.rels?.[0]?.VacuumRelation?.relation
      if (!node.is_vacuumcmd) return on(rel, 'SHARE UPDATE EXCLUSIVE', { scan: true })
      return on(rel, full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', { rewrite: full, scan: true })
    }
    case 'ClusterStmt':
      return on(node.relation, 'ACCESS EXCLUSIVE', { rewrite: true, scan: true })
    case 'ReindexStmt': {
      const concurrent = (node.params ?? []).some((o: AstNode) => o.DefElem?.defname === 'concurrently')
      return on(node.relation, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', { rewrite: true, scan: true })
    }
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt':
      return on(node.relation, 'ROW EXCLUSIVE', { scan: kind !== 'InsertStmt' })
    case 'CreateTrigStmt':
      return on(node.relation, 'SHARE ROW EXCLUSIVE')
    case 'RefreshMatViewStmt':
      return on(node.relation, node.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', { rewrite: true, scan: true })
    case 'LockStmt':
      return on(node.relations?.[0]?.RangeVar, lockStmtMode(node.mode))
    case 'CommentStmt':
      return NONE
    default:
      return NONE
  }
}

/** LOCK TABLE's mode numbers, from src/include/storage/lockdefs.h. */
function lockStmtMode(mode: number | undefined): LockMode {
  const modes: Record<number, LockMode> = {
    1: 'ACCESS SHARE', 2: 'ROW SHARE', 3: 'ROW EXCLUSIVE', 4: 'SHARE UPDATE EXCLUSIVE',
    5: 'SHARE', 6: 'SHARE ROW EXCLUSIVE', 7: 'EXCLUSIVE', 8: 'ACCESS EXCLUSIVE',
  }
  return modes[mode ?? 8] ?? 'ACCESS EXCLUSIVE'
}
