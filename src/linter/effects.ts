import { alterCommands, columnConstraints, displayName, names, statementNode } from './ast.js'
import { strongerLock } from './locks.js'
import { typeChangeRewrites } from './type-coercion.js'
import type { AstNode, LockMode } from './types.js'
import { expressionVolatility, isSerialType } from './volatility.js'

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

// Positional, not an options object: one is made per statement of a 20,000-statement file.
function on(table: AstNode, lock: LockMode, rewrite = false, scan = false): StatementEffects {
  return table ? { lock, table, tableName: displayName(table), rewrite, scan } : { lock, table: null, tableName: null, rewrite, scan }
}

/**
 * Lock levels from the Postgres docs (explicit-locking.html, sql-altertable.html) and
 * AlterTableGetLockLevel() in src/backend/commands/tablecmds.c. Anything not listed takes ACCESS EXCLUSIVE.
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

/** Subcommands that write a new copy of every row (tablecmds.c sets AT_REWRITE_* for them). */
const REWRITING = new Set(['AT_SetLogged', 'AT_SetUnLogged', 'AT_SetTableSpace', 'AT_SetAccessMethod', 'AT_SetExpression'])

export function alterCommandLock(cmd: AstNode, pgVersion: number): LockMode {
  if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN') return 'SHARE ROW EXCLUSIVE'
  if (cmd.subtype === 'AT_AttachPartition' && pgVersion < 12) return 'ACCESS EXCLUSIVE'
  if (cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent) return 'SHARE UPDATE EXCLUSIVE'
  return ALTER_LOCKS[cmd.subtype] ?? 'ACCESS EXCLUSIVE'
}

/** Whether ADD COLUMN writes every row: a volatile default, serial, identity or a stored generated column. */
export function addColumnRewrites(columnDef: AstNode): boolean {
  if (!columnDef) return false
  if (isSerialType(columnDef.typeName)) return true
  const constraints = columnConstraints(columnDef)
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]
    if (c.contype === 'CONSTR_IDENTITY') return true
    if (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v') return true
    if (c.contype === 'CONSTR_DEFAULT' && expressionVolatility(c.raw_expr) === 'volatile') return true
  }
  return false
}

/** Column constraints whose addition reads every row (an index build or a validation). */
const SCANNING_COLUMN_CONSTRAINTS = new Set(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_CHECK', 'CONSTR_FOREIGN'])

/** Whether a subcommand reads every row while holding its lock. */
function alterCommandScans(cmd: AstNode): boolean {
  switch (cmd.subtype) {
    case 'AT_AddConstraint': {
      const c = cmd.def?.Constraint
      if (!c) return false
      if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') return !c.indexname
      if (c.contype === 'CONSTR_EXCLUSION') return true
      return !c.skip_validation
    }
    case 'AT_SetNotNull':
    case 'AT_ValidateConstraint':
    case 'AT_AttachPartition':
      return true
    case 'AT_AddColumn':
      return columnConstraints(cmd.def?.ColumnDef).some((c) => SCANNING_COLUMN_CONSTRAINTS.has(c.contype) && !c.skip_validation)
    default:
      return false
  }
}

function alterCommandRewrites(cmd: AstNode, pgVersion: number): boolean {
  if (REWRITING.has(cmd.subtype)) return true
  if (cmd.subtype === 'AT_AddColumn') return addColumnRewrites(cmd.def?.ColumnDef)
  if (cmd.subtype === 'AT_AlterColumnType') {
    const def = cmd.def?.ColumnDef
    return typeChangeRewrites(undefined, def?.typeName, Boolean(def?.raw_default), pgVersion).rewrite === 'yes'
  }
  return false
}

/** The table named by the first qualified name of a DROP (`[schema, name]` as String nodes). */
function droppedTable(node: AstNode): AstNode | null {
  const parts = names(node.objects?.[0]?.List?.items)
  if (!parts.length) return null
  return { schemaname: parts.length > 1 ? parts[parts.length - 2] : undefined, relname: parts[parts.length - 1] }
}

export function statementEffects(stmt: AstNode, pgVersion: number): StatementEffects {
  const kindAndNode = statementNode(stmt)
  const kind = kindAndNode[0]
  const node = kindAndNode[1]
  switch (kind) {
    case 'AlterTableStmt': {
      if (node.objtype === 'OBJECT_INDEX') {
        const moves = alterCommands(node).some((c) => c.subtype === 'AT_SetTableSpace')
        return on(node.relation, moves ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', moves)
      }
      let lock: LockMode | null = null
      let rewrite = false
      let scan = false
      const cmds = alterCommands(node)
      for (let i = 0; i < cmds.length; i++) {
        const cmd = cmds[i]
        lock = strongerLock(lock, alterCommandLock(cmd, pgVersion))
        rewrite ||= alterCommandRewrites(cmd, pgVersion)
        scan ||= alterCommandScans(cmd)
      }
      return lock ? on(node.relation, lock, rewrite, scan || rewrite) : NONE
    }
    case 'IndexStmt':
      return on(node.relation, node.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', false, true)
    case 'CreateStmt': {
      // A foreign key to an existing table adds triggers to it: SHARE ROW EXCLUSIVE, briefly.
      const ref = referencedTable(node)
      return ref && ref.relname !== node.relation?.relname ? on(ref, 'SHARE ROW EXCLUSIVE') : NONE
    }
    case 'DropStmt':
      if (node.removeType === 'OBJECT_INDEX') return { ...NONE, lock: node.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' }
      if (['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(node.removeType))
        return on(droppedTable(node), 'ACCESS EXCLUSIVE')
      if (['OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE'].includes(node.removeType)) {
        // DROP TRIGGER name ON table: the table is the qualified name minus its last part.
        const parts = names(node.objects?.[0]?.List?.items).slice(0, -1)
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
      if (!node.is_vacuumcmd) return on(rel, 'SHARE UPDATE EXCLUSIVE', false, true)
      return on(rel, full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', full, true)
    }
    case 'ClusterStmt':
      return on(node.relation, 'ACCESS EXCLUSIVE', true, true)
    case 'ReindexStmt': {
      const concurrent = (node.params ?? []).some((o: AstNode) => o.DefElem?.defname === 'concurrently')
      // A plain REINDEX locks the table SHARE and each index ACCESS EXCLUSIVE (readers that use it wait):
      // REINDEX TABLE reports the table's lock, REINDEX INDEX the index's.
      const plain: LockMode = node.kind === 'REINDEX_OBJECT_INDEX' ? 'ACCESS EXCLUSIVE' : 'SHARE'
      return on(node.relation, concurrent ? 'SHARE UPDATE EXCLUSIVE' : plain, true, true)
    }
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt':
    case 'MergeStmt':
      return on(node.relation, 'ROW EXCLUSIVE', false, kind !== 'InsertStmt')
    case 'CreateTrigStmt':
      return on(node.relation, 'SHARE ROW EXCLUSIVE')
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return on(node.table, 'ACCESS EXCLUSIVE')
    case 'RuleStmt':
      return on(node.relation, 'ACCESS EXCLUSIVE')
    case 'RefreshMatViewStmt':
      return on(node.relation, node.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', true, true)
    case 'LockStmt':
      return on(node.relations?.[0]?.RangeVar, lockStmtMode(node.mode))
    case 'CommentStmt':
    default:
      return NONE
  }
}

/** The first existing table a CREATE TABLE's foreign keys point at. */
function referencedTable(node: AstNode): AstNode | null {
  const elts: AstNode[] = node.tableElts ?? []
  for (let i = 0; i < elts.length; i++) {
    const elt = elts[i]
    if (elt.Constraint) {
      if (elt.Constraint.contype === 'CONSTR_FOREIGN' && elt.Constraint.pktable) return elt.Constraint.pktable
      continue
    }
    const constraints = columnConstraints(elt.ColumnDef)
    for (let j = 0; j < constraints.length; j++) if (constraints[j].contype === 'CONSTR_FOREIGN' && constraints[j].pktable) return constraints[j].pktable
  }
  return null
}

/** LOCK TABLE's mode numbers, from src/include/storage/lockdefs.h. */
function lockStmtMode(mode: number | undefined): LockMode {
  const modes: Record<number, LockMode> = {
    1: 'ACCESS SHARE', 2: 'ROW SHARE', 3: 'ROW EXCLUSIVE', 4: 'SHARE UPDATE EXCLUSIVE',
    5: 'SHARE', 6: 'SHARE ROW EXCLUSIVE', 7: 'EXCLUSIVE', 8: 'ACCESS EXCLUSIVE',
  }
  return modes[mode ?? 8] ?? 'ACCESS EXCLUSIVE'
}
