import { alterCommands, columnConstraints, names, statementNode, tableKey } from './ast.js'
import { strongerLock } from './locks.js'
import type { AstNode, LockMode } from './types.js'
import type { StatementEffects } from './effects.js'

interface NotNullCheck {
  table: string
  column: string
  constraint: string | undefined
  validated: boolean
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
  explicitTransaction = false
  /** Locks taken so far in the open transaction (explicit, or Prisma's implicit one), by table key. */
  readonly heldLocks = new Map<string, LockMode>()

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

  record(stmt: AstNode, effects: StatementEffects, inTransaction: boolean): void {
    const [kind, node] = statementNode(stmt)
    switch (kind) {
      case 'CreateStmt':
        this.createdTables.add(tableKey(node.relation))
        break
      case 'CreateTableAsStmt':
        this.createdTables.add(tableKey(node.into?.rel))
        break
      case 'SelectStmt':
        if (node.intoClause?.rel) this.createdTables.add(tableKey(node.intoClause.rel))
        break
      case 'RenameStmt':
        if (node.renameType === 'OBJECT_TABLE' && this.isNewTable(node.relation))
          this.createdTables.add(tableKey({ ...node.relation, relname: node.newname }))
        break
      case 'UpdateStmt':
        for (const target of node.targetList ?? []) {
          const name = target.ResTarget?.name
          if (name) this.backfilled.add(`${tableKey(node.relation)}.${name}`)
        }
        break
      case 'AlterTableStmt':
        this.recordAlter(node)
        break
      case 'TransactionStmt':
        if (node.kind === 'TRANS_STMT_BEGIN' || node.kind === 'TRANS_STMT_START') this.explicitTransaction = true
        if (['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE'].includes(node.kind)) {
          this.explicitTransaction = false
          this.heldLocks.clear()
        }
        break
    }
    if (inTransaction && effects.lock && effects.table) {
      const key = tableKey(effects.table)
      this.heldLocks.set(key, strongerLock(this.heldLocks.get(key) ?? null, effects.lock) as LockMode)
    }
  }

  private recordAlter(node: AstNode): void {
    const table = tableKey(node.relation)
    for (const cmd of alterCommands(node)) {
      if (cmd.subtype === 'AT_AddColumn') this.addedColumns.add(`${table}.${cmd.def?.ColumnDef?.colname}`)
      if (cmd.subtype === 'AT_AddConstraint') {
        const c = cmd.def?.Constraint
        const column = c?.contype === 'CONSTR_CHECK' ? notNullTestColumn(c.raw_expr) : undefined
        if (column) this.notNullChecks.push({ table, column, constraint: c.conname, validated: !c.skip_validation })
      }
      if (cmd.subtype === 'AT_ValidateConstraint') {
        for (const check of this.notNullChecks) if (check.table === table && check.constraint === cmd.name) check.validated = true
      }
      if (cmd.subtype === 'AT_AddColumn') {
        for (const c of columnConstraints(cmd.def?.ColumnDef)) {
          const column = c.contype === 'CONSTR_CHECK' ? notNullTestColumn(c.raw_expr) : undefined
          if (column) this.notNullChecks.push({ table, column, constraint: c.conname, validated: !c.skip_validation })
        }
      }
    }
  }
}

/** The column of `col IS NOT NULL`, the expression Postgres 12+ accepts as proof for SET NOT NULL. */
export function notNullTestColumn(expr: AstNode): string | undefined {
  const test = expr?.NullTest
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return undefined
  const fields = names(test.arg?.ColumnRef?.fields)
  return fields[fields.length - 1]
}
