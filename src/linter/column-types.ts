import type { AstNode } from './types.js'

/**
 * Column types known so far, by table key then column: declared in this migration or, with a
 * folder history, in the earlier ones. Renames and drops move or forget whole tables in O(1).
 */
export class ColumnTypes {
  private readonly tables = new Map<string, Map<string, AstNode>>()

  get(table: string, column: string): AstNode | undefined {
    return this.tables.get(table)?.get(column)
  }

  set(table: string, column: string, type: AstNode): void {
    let columns = this.tables.get(table)
    if (!columns) this.tables.set(table, (columns = new Map()))
    columns.set(column, type)
  }

  delete(table: string, column: string): void {
    this.tables.get(table)?.delete(column)
  }

  renameColumn(table: string, from: string, to: string): void {
    const type = this.get(table, from)
    this.delete(table, from)
    if (type) this.set(table, to, type)
  }

  renameTable(from: string, to: string): void {
    const columns = this.tables.get(from)
    this.tables.delete(from)
    if (columns) this.tables.set(to, columns)
  }

  dropTable(table: string): void {
    this.tables.delete(table)
  }

  /** Plain data for a cache file. */
  toEntries(): Array<[string, Array<[string, AstNode]>]> {
    return [...this.tables].map(([table, columns]) => [table, [...columns]])
  }

  static fromEntries(entries: Array<[string, Array<[string, AstNode]>]>): ColumnTypes {
    const types = new ColumnTypes()
    for (const [table, columns] of entries) for (const [column, type] of columns) types.set(table, column, type)
    return types
  }
}
