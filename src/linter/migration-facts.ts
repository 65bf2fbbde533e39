import { alterCommands, columnConstraints, displayName, names, statementNode, tableKey } from './ast.js'
import { lockRank, strongerLock } from './locks.js'
import type { AstNode, LockMode } from './types.js'
import type { StatementEffects } from './effects.js'
import { ColumnTypes } from './column-types.js'

interface NotNullCheck {
  table: string
  column: string
  constraint: string | undefined
  validated: boolean
}

/** A lock of SHARE or stronger on an existing table, taken in the open transaction. */
export interface HeldLock {
  table: string
  tableName: string
  lock: LockMode
  statement: number
}

/**
 * What the statements before the current one did: tables they created (exempt: empty), columns
 * they backfilled, NOT NULL checks they added or validated, the transaction they opened and the
 * locks held in it. The engine records each statement after checking it.
 */
export class MigrationFacts {
  readonly createdTables = new Set<string>()
  readonly backfilled = new Set<string>()
  readonly addedColumns = new Set<string>()
  readonly notNullChecks: NotNullCheck[] = []
  /** Tables that got a validated CHECK constraint in this migration (a partition bound can be proven by one). */
  readonly checkedTables = new Set<string>()
  private readonly pendingChecks = new Map<string, string>()
  explicitTransaction = false
  /** Locks taken so far in the open transaction (explicit, or Prisma's implicit one), by table key. */
  readonly heldLocks = new Map<string, LockMode>()
  /** The first SHARE-or-stronger lock on an existing table still held in the open transaction. */
  strongLock: HeldLock | null = null
  /** Indexes created in this migration, index key → table key. */
  readonly createdIndexes = new Map<string, string>()
  /** Types created in this migration (CREATE TYPE ... AS ENUM and others), by name. */
  readonly createdTypes = new Set<string>()
  /** Types renamed in this migration: new name → old name (Prisma renames the enum to "X_old"). */
  readonly renamedTypes = new Map<string, string>()
  /** Enum values added in the open transaction: `type.value`. */
  readonly enumValuesInTransaction = new Set<string>()
  /** Column types declared in this migration, `schema.table.column` → TypeName. */
  readonly columnTypes: ColumnTypes
  lockTimeout = false
  statementTimeout = false
  /** Timeouts set with SET LOCAL: they end with the transaction. */
  private readonly localSettings = new Set<'lockTimeout' | 'statementTimeout'>()
  /** Statements so far that took ACCESS EXCLUSIVE on an existing table. */
  accessExclusiveOnExisting = 0
  /** Statements so far that scanned or rewrote an existing table while blocking writes. */
  slowOnExisting = 0
  /** DDL statements that touched tables that existed before this migration. */
  ddlOnExistingTables = 0
  /** Columns the previous statement dropped (Prisma's drop + add rename pattern spans statements). */
  lastDroppedColumns: { table: string; columns: string[] } | null = null

  /**
   * The transaction the migration tool opened around the file (assumeInTransaction), until the
   * file's own COMMIT or ROLLBACK ends it.
   */
  transactionAssumed = false

  /**
   * `knownColumnTypes`: column types declared by earlier migrations of the same folder.
   * `inTransaction`: the file runs inside a transaction its migration tool opens (Flyway, knex...).
   */
  constructor(knownColumnTypes?: ColumnTypes, inTransaction = false) {
    // Shared, not copied: a folder's history is this migration's starting point and takes its changes.
    this.columnTypes = knownColumnTypes ?? new ColumnTypes()
    this.explicitTransaction = this.transactionAssumed = inTransaction
  }

  /** Keeps `columnTypes` true across renames and drops, so a later migration sees the schema as it is. */
  private trackColumnTypes(kind: string, node: AstNode): void {
    if (kind === 'RenameStmt' && node.renameType === 'OBJECT_COLUMN') this.columnTypes.renameColumn(tableKey(node.relation), node.subname, node.newname)
    if (kind === 'RenameStmt' && node.renameType === 'OBJECT_TABLE')
      this.columnTypes.renameTable(tableKey(node.relation), tableKey({ ...node.relation, relname: node.newname }))
    if (kind === 'DropStmt' && node.removeType === 'OBJECT_TABLE') {
      for (const object of node.objects ?? []) {
        const parts = names(object.List?.items)
        if (parts.length) this.columnTypes.dropTable(tableKey(parts.join('.')))
      }
    }
    if (kind === 'AlterTableStmt') {
      const cmds = alterCommands(node)
      for (let i = 0; i < cmds.length; i++) if (cmds[i].subtype === 'AT_DropColumn') this.columnTypes.delete(tableKey(node.relation), cmds[i].name)
    }
  }
  /** Statements recorded so far. */
  count = 0


  isNewTable(rel: AstNode | string): boolean {
    return this.createdTables.has(tableKey(rel))
  }

  isBackfilled(rel: AstNode | string, column: string): boolean {
    return this.backfilled.has(`${tableKey(rel)}.${column}`)
  }

  /** 'validated' when a CHECK (col IS NOT NULL) was added valid or validated later; 'not-valid' when only added NOT VALID. */
  notNullCheck(rel: AstNode | string, column: string): 'validated' | 'not-valid' | null {
    const key = tableKey(rel)
    const checks = this.notNullChecks.filter((c) => c.table === key && c.column === column)
    if (checks.some((c) => c.validated)) return 'validated'
    return checks.length > 0 ? 'not-valid' : null
  }

  columnType(rel: AstNode | string, column: string): AstNode | undefined {
    return this.columnTypes.get(tableKey(rel), column)
  }

  record(stmt: AstNode, effects: StatementEffects, inTransaction: boolean): void {
    const kindAndNode = statementNode(stmt)
    const kind = kindAndNode[0]
    const node = kindAndNode[1]
    this.lastDroppedColumns = null
    this.trackColumnTypes(kind, node)
    const onExisting = effects.table ? !this.isNewTable(effects.table) : false
    switch (kind) {
      case 'CreateStmt':
        this.createdTables.add(tableKey(node.relation))
        for (let i = 0, elts: AstNode[] = node.tableElts ?? []; i < elts.length; i++) {
          const def = elts[i].ColumnDef
          if (def) this.columnTypes.set(tableKey(node.relation), def.colname, def.typeName)
        }
        break
      case 'CreateTableAsStmt':
        this.createdTables.add(tableKey(node.into?.rel))
        break
      case 'SelectStmt':
        if (node.intoClause?.rel) this.createdTables.add(tableKey(node.intoClause.rel))
        break
      case 'IndexStmt':
        if (node.idxname) this.createdIndexes.set(tableKey({ schemaname: node.relation?.schemaname, relname: node.idxname }), tableKey(node.relation))
        break
      case 'CreateEnumStmt':
        this.createdTypes.add(names(node.typeName).join('.'))
        break
      case 'CreateDomainStmt':
        this.createdTypes.add(names(node.domainname).join('.'))
        break
      case 'CompositeTypeStmt':
        this.createdTypes.add([node.typevar?.schemaname, node.typevar?.relname].filter(Boolean).join('.'))
        break
      case 'AlterEnumStmt':
        if (node.newVal && inTransaction) this.enumValuesInTransaction.add(`${names(node.typeName).join('.')}.${node.newVal}`)
        break
      case 'RenameStmt':
        if (node.renameType === 'OBJECT_TABLE' && this.isNewTable(node.relation))
          this.createdTables.add(tableKey({ ...node.relation, relname: node.newname }))
        if (node.renameType === 'OBJECT_TYPE') {
          const old = names(node.object?.List?.items)
          this.renamedTypes.set([...old.slice(0, -1), node.newname].join('.'), old.join('.'))
        }
        break
      case 'UpdateStmt':
        for (const target of node.targetList ?? []) {
          const name = target.ResTarget?.name
          if (name) this.backfilled.add(`${tableKey(node.relation)}.${name}`)
        }
        break
      case 'DeleteStmt':
        // DELETE ... WHERE col IS NULL [OR other IS NULL] leaves no NULL behind: as good as a backfill.
        for (const column of nullTestedColumns(node.whereClause)) this.backfilled.add(`${tableKey(node.relation)}.${column}`)
        break
      case 'AlterTableStmt':
        this.recordAlter(node)
        if (inTransaction) this.recordReferencedLocks(node)
        if (node.objtype === 'OBJECT_TABLE') {
          const dropped = alterCommands(node).filter((c) => c.subtype === 'AT_DropColumn').map((c) => c.name)
          if (dropped.length) this.lastDroppedColumns = { table: tableKey(node.relation), columns: dropped }
        }
        break
      case 'VariableSetStmt':
        this.recordSetting(node)
        break
      case 'TransactionStmt':
        if (node.kind === 'TRANS_STMT_BEGIN' || node.kind === 'TRANS_STMT_START') this.explicitTransaction = true
        if (['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE'].includes(node.kind)) {
          this.explicitTransaction = this.transactionAssumed = false
          this.heldLocks.clear()
          this.strongLock = null
          this.enumValuesInTransaction.clear()
          for (const key of this.localSettings) this[key] = false
          this.localSettings.clear()
        }
        break
    }
    if (onExisting && isDdl(kind)) this.ddlOnExistingTables++
    if (onExisting && effects.lock === 'ACCESS EXCLUSIVE') this.accessExclusiveOnExisting++
    if (onExisting && isSlow(kind, effects) && effects.lock !== 'SHARE UPDATE EXCLUSIVE') this.slowOnExisting++
    if (inTransaction && effects.lock && effects.table) {
      const key = tableKey(effects.table)
      this.heldLocks.set(key, strongerLock(this.heldLocks.get(key) ?? null, effects.lock) as LockMode)
      if (!this.strongLock && onExisting && lockRank(effects.lock) >= lockRank('SHARE'))
        this.strongLock = { table: key, tableName: effects.tableName ?? key, lock: effects.lock, statement: this.count }
    }
    this.count++
  }

  /** ADD FOREIGN KEY also takes SHARE ROW EXCLUSIVE on the referenced table, held to the end of the transaction. */
  private recordReferencedLocks(node: AstNode): void {
    const cmds = alterCommands(node)
    for (let i = 0; i < cmds.length; i++) {
      const cmd = cmds[i]
      if (cmd.subtype !== 'AT_AddConstraint' && cmd.subtype !== 'AT_AddColumn') continue
      const constraints = cmd.subtype === 'AT_AddConstraint' ? [cmd.def?.Constraint] : columnConstraints(cmd.def?.ColumnDef)
      for (let j = 0; j < constraints.length; j++) {
        const c = constraints[j]
        if (c?.contype !== 'CONSTR_FOREIGN' || !c.pktable || this.isNewTable(c.pktable)) continue
        const key = tableKey(c.pktable)
        this.heldLocks.set(key, strongerLock(this.heldLocks.get(key) ?? null, 'SHARE ROW EXCLUSIVE') as LockMode)
        this.strongLock ??= { table: key, tableName: displayName(c.pktable), lock: 'SHARE ROW EXCLUSIVE', statement: this.count }
      }
    }
  }

  private recordSetting(node: AstNode): void {
    const name = String(node.name ?? '').toLowerCase()
    if (name !== 'lock_timeout' && name !== 'statement_timeout') return
    const arg = node.args?.[0]?.A_Const
    const value = arg?.ival?.ival ?? arg?.sval?.sval ?? (node.kind === 'VAR_RESET' || node.kind === 'VAR_SET_DEFAULT' ? 0 : undefined)
    // 0 (the default) means wait forever: it does not count as a timeout.
    const set = value !== undefined && !/^\s*0+\s*(ms|s|min|h|d)?\s*$/i.test(String(value))
    const key = name === 'lock_timeout' ? 'lockTimeout' : 'statementTimeout'
    this[key] = set
    if (set && node.is_local) this.localSettings.add(key)
    else this.localSettings.delete(key)
  }

  private recordAlter(node: AstNode): void {
    const table = tableKey(node.relation)
    const cmds = alterCommands(node)
    for (let i = 0; i < cmds.length; i++) {
      const cmd = cmds[i]
      if (cmd.subtype === 'AT_AddColumn') {
        const def = cmd.def?.ColumnDef
        this.addedColumns.add(`${table}.${def?.colname}`)
        if (def) this.columnTypes.set(table, def.colname, def.typeName)
      }
      if (cmd.subtype === 'AT_AlterColumnType' && cmd.def?.ColumnDef?.typeName) this.columnTypes.set(table, cmd.name, cmd.def.ColumnDef.typeName)
      if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_CHECK') {
        const c = cmd.def.Constraint
        if (!c.skip_validation) this.checkedTables.add(table)
        else if (c.conname) this.pendingChecks.set(`${table}.${c.conname}`, table)
      }
      if (cmd.subtype === 'AT_ValidateConstraint' && this.pendingChecks.has(`${table}.${cmd.name}`)) this.checkedTables.add(table)
      if (cmd.subtype === 'AT_AddConstraint') {
        const c = cmd.def?.Constraint
        const column = c?.contype === 'CONSTR_CHECK' ? notNullTestColumn(c.raw_expr) : undefined
        if (column) this.notNullChecks.push({ table, column, constraint: c.conname, validated: !c.skip_validation })
      }
      if (cmd.subtype === 'AT_ValidateConstraint') {
        for (const check of this.notNullChecks) if (check.table === table && check.constraint === cmd.name) check.validated = true
      }
      if (cmd.subtype === 'AT_AddColumn') {
        const constraints = columnConstraints(cmd.def?.ColumnDef)
        for (let j = 0; j < constraints.length; j++) {
          const c = constraints[j]
          const column = c.contype === 'CONSTR_CHECK' ? notNullTestColumn(c.raw_expr) : undefined
          if (column) this.notNullChecks.push({ table, column, constraint: c.conname, validated: !c.skip_validation })
        }
      }
    }
  }
}

const DDL = new Set([
  'AlterTableStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'TruncateStmt', 'CreateTrigStmt', 'ClusterStmt',
  'ReindexStmt', 'CreatePolicyStmt', 'RuleStmt',
])

/** Work that takes time proportional to the table: a scan, a rewrite, an index build, a backfill. */
export function isSlow(kind: string, effects: StatementEffects): boolean {
  if (kind === 'UpdateStmt' || kind === 'DeleteStmt' || kind === 'MergeStmt') return true
  return lockRank(effects.lock) >= lockRank('SHARE UPDATE EXCLUSIVE') && (effects.scan || effects.rewrite)
}

export function isDdl(kind: string): boolean {
  return DDL.has(kind)
}

/** Columns of `col IS NULL` tests at the top of a WHERE clause or under its ORs. */
function nullTestedColumns(where: AstNode): string[] {
  if (where?.NullTest?.nulltesttype === 'IS_NULL') return names(where.NullTest.arg?.ColumnRef?.fields).slice(-1)
  if (where?.BoolExpr?.boolop === 'OR_EXPR') return (where.BoolExpr.args ?? []).flatMap(nullTestedColumns)
  return []
}

/** The column of `col IS NOT NULL`, the expression Postgres 12+ accepts as proof for SET NOT NULL. */
export function notNullTestColumn(expr: AstNode): string | undefined {
  const test = expr?.NullTest
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return undefined
  const fields = names(test.arg?.ColumnRef?.fields)
  return fields[fields.length - 1]
}
