import { columnConstraints, names, typeNameOf } from '../ast.js'
import { defineRule } from '../define-rule.js'
import { addedColumns, ident, lockOf } from '../rule-helpers.js'
import { formatType } from '../type-coercion.js'
import { expressionVolatility, firstCalledFunction, isSerialType } from '../volatility.js'
import type { ParsedStatement } from '../parse.js'
import { expressionText } from '../type-text.js'
import type { AstNode } from '../types.js'

export const banAddColumnVolatileDefault = defineRule({
  id: 'ban-add-column-volatile-default',
  category: 'rewrite',
  severity: 'error',
  docs: {
    summary: 'ADD COLUMN with a volatile default, serial, identity or a stored generated column rewrites the table.',
    why: 'Since PG 11 a constant or stable default is stored once in the catalog; a volatile one (gen_random_uuid(), clock_timestamp(), nextval(), ...) must be computed per row, so every row is rewritten under an ACCESS EXCLUSIVE lock. Identity, serial and stored generated columns are filled the same way.',
    safeAlternative: 'Add the column without the default, SET DEFAULT for new rows (catalog-only), backfill existing rows in batches.',
    bad: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    good: 'ALTER TABLE users ADD COLUMN token uuid;\nALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
  },
  // Before PG 11 every non-NULL default rewrote; 11 is the oldest version we target.
  pg: { min: 11 },
  check(stmt, ctx) {
    const found = addedColumns(stmt, ctx)
    if (!found) return
    const { rel, table } = found
    const hits = []
    for (const def of found.defs) {
      const hit = judge(def, rel, table, ctx.pgVersion, ctx.statement)
      if (hit) hits.push({ ...hit, message: `${hit.message} Every row is rewritten under ${lockOf(ctx)}.` })
    }
    return hits
  },
})

function judge(def: AstNode, rel: AstNode, table: string, pgVersion: number, statement: ParsedStatement) {
  const constraints = columnConstraints(def)
  // Most added columns have none of what fills rows: nothing to write for them.
  if (!isSerialType(def.typeName) && !constraints.some(fillsRows)) return undefined
  const col = ident(def.colname)
  const type = formatType(def.typeName)
  const seq = ident(`${rel.relname}_${def.colname}_seq`.slice(0, 63))
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL')
  const backfill = (columnType: string, expr: string) =>
    `ALTER TABLE ${table} ADD COLUMN ${col} ${columnType};\nALTER TABLE ${table} ALTER COLUMN ${col} SET DEFAULT ${expr}; -- new rows only, catalog-only\n-- then backfill in batches: UPDATE ${table} SET ${col} = ${expr} WHERE ${col} IS NULL AND id BETWEEN $1 AND $2;` +
    (notNull ? `\n-- then NOT NULL without a scan: ADD CONSTRAINT ... CHECK (${col} IS NOT NULL) NOT VALID, VALIDATE it, SET NOT NULL` : '')
  const fromSequence = (columnType: string) =>
    `CREATE SEQUENCE ${seq};\n${backfill(columnType, `nextval('${seq.replace(/'/g, "''")}')`)}\nALTER SEQUENCE ${seq} OWNED BY ${table}.${col};`
  if (isSerialType(def.typeName)) {
    const base = typeNameOf(def.typeName).toLowerCase()
    const intType = base.startsWith('big') || base === 'serial8' ? 'bigint' : base.startsWith('small') || base === 'serial2' ? 'smallint' : 'integer'
    return {
      message: `ADD COLUMN ${col} ${type} on ${table} fills every existing row from a sequence (nextval() is volatile).`,
      suggestion: fromSequence(intType),
    }
  }
  if (constraints.some((c) => c.contype === 'CONSTR_IDENTITY')) return {
    message: `ADD COLUMN ${col} ... GENERATED AS IDENTITY on ${table} fills every existing row from its sequence.`,
    suggestion: fromSequence(type),
  }
  if (constraints.some((c) => c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v')) return {
    message: `ADD COLUMN ${col} ... GENERATED ALWAYS AS (...) STORED on ${table} computes the expression for every existing row.`,
    suggestion: pgVersion >= 18
      ? `-- PG 18: make it VIRTUAL (computed on read, no rewrite):\n-- ALTER TABLE ${table} ADD COLUMN ${col} ${type} GENERATED ALWAYS AS (<same expression>) VIRTUAL;`
      : `-- add a plain column, keep it filled with a trigger, backfill in batches:\nALTER TABLE ${table} ADD COLUMN ${col} ${type};`,
  }
  const dflt = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')
  if (!dflt) return undefined
  const volatility = expressionVolatility(dflt.raw_expr)
  if (volatility !== 'volatile' && volatility !== 'unknown') return undefined
  const fn = firstCalledFunction(dflt.raw_expr) ?? 'the default'
  const expr = expressionText(statement, dflt.raw_expr) ?? simpleExpression(dflt.raw_expr) ?? `${fn}()`
  return {
    severity: volatility === 'unknown' ? ('warning' as const) : undefined,
    message: volatility === 'volatile'
      ? `ADD COLUMN ${col} DEFAULT ${expr} on ${table}: ${fn}() is volatile, so it is computed for every existing row.`
      : `ADD COLUMN ${col} DEFAULT ${expr} on ${table}: if ${fn}() is VOLATILE it is computed for every existing row (a STABLE or IMMUTABLE function is not).`,
    suggestion: backfill(type, expr),
  }
}

/** A column constraint that can make ADD COLUMN fill existing rows: identity, a stored generated expression, a default. */
function fillsRows(c: AstNode): boolean {
  return c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_DEFAULT' || (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v')
}

/** SQL text of a function call whose arguments are literals, e.g. `nextval('s')`; undefined otherwise. */
function simpleExpression(expr: AstNode): string | undefined {
  const call = expr?.FuncCall
  if (!call) return undefined
  const args: string[] = []
  for (const arg of call.args ?? []) {
    const c = arg.A_Const ?? arg.TypeCast?.arg?.A_Const
    if (!c) return undefined
    if (c.sval) args.push(`'${String(c.sval.sval).replace(/'/g, "''")}'`)
    else if (c.ival) args.push(String(c.ival.ival ?? 0))
    else return undefined
  }
  return `${names(call.funcname).map(ident).join('.')}(${args.join(', ')})`
}
