import { displayIdent, typeModsOf, typeNameOf } from './ast.js'
import type { AstNode } from './types.js'

export interface TypeChangeVerdict {
  /** 'no': binary-coercible, catalog-only; 'maybe': depends on the current type or session; 'yes': rewrite. */
  rewrite: 'no' | 'maybe' | 'yes'
  /** Why, for messages. */
  reason: string
}

const ALIASES: Record<string, string> = {
  'character varying': 'varchar', int: 'int4', integer: 'int4', bigint: 'int8', smallint: 'int2',
  timestamp: 'timestamp', 'timestamp with time zone': 'timestamptz', decimal: 'numeric', 'bit varying': 'varbit',
  char: 'bpchar', character: 'bpchar', 'double precision': 'float8', real: 'float4', bool: 'bool', boolean: 'bool',
}

/** The canonical lower-case name of a TypeName (`varchar`, `int8`, `timestamptz`), with `[]` for arrays. */
export function canonicalType(typeName: AstNode): string {
  const raw = typeNameOf(typeName).toLowerCase()
  const base = ALIASES[raw] ?? raw
  return typeName?.arrayBounds?.length ? `${base}[]` : base
}

const DISPLAY: Record<string, string> = {
  int4: 'integer', int8: 'bigint', int2: 'smallint', float8: 'double precision', float4: 'real', bool: 'boolean', bpchar: 'char',
}

/** `varchar(255)`, `numeric(10,2)`, `"Status"` — as a user would write it. */
export function formatType(typeName: AstNode): string {
  const mods = typeModsOf(typeName)
  const raw = typeNameOf(typeName)
  const shown = DISPLAY[raw] ?? raw.split('.').map(displayIdent).join('.')
  return `${shown}${mods.length ? `(${mods.join(',')})` : ''}${typeName?.arrayBounds?.length ? '[]' : ''}`
}

/** Types whose typmod can only grow without a rewrite (a length/precision "support" function elides the cast). */
const GROWABLE = new Set(['varchar', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval'])

/** Target types some other type reaches without a rewrite, so an unknown source type is only a maybe. */
const COERCIBLE_TARGETS = new Set(['text', 'varchar', 'numeric', 'inet', 'varbit', 'timestamp', 'timestamptz', 'interval', 'time', 'timetz', 'citext'])

/**
 * Whether ALTER COLUMN ... TYPE rewrites the table, following ATColumnChangeRequiresRewrite() in
 * tablecmds.c: a rewrite is skipped only when the old value converts by a binary-coercible cast or
 * a length coercion that can only widen. https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
export function typeChangeRewrites(from: AstNode | undefined, to: AstNode, using: boolean, pgVersion: number): TypeChangeVerdict {
  const target = canonicalType(to)
  if (using) return { rewrite: 'yes', reason: 'a USING clause computes every value again' }
  if (!from) {
    if (target === 'timestamptz' || target === 'timestamp')
      return { rewrite: 'maybe', reason: `to ${formatType(to)} it is rewrite-free only from the other timestamp type on PG >= 12 with the session TimeZone set to UTC, or from a narrower ${formatType(to)}` }
    if (COERCIBLE_TARGETS.has(target))
      return { rewrite: 'maybe', reason: `the current type is not in this migration; to ${formatType(to)} it is rewrite-free only from a binary-coercible type (e.g. varchar(n) to varchar(m >= n) or text, numeric(p,s) to numeric(p2 >= p,s)), otherwise every row is rewritten` }
    return { rewrite: 'yes', reason: `no other type converts to ${formatType(to)} without rewriting every row` }
  }
  const source = canonicalType(from)
  const [fromMods, toMods] = [typeModsOf(from), typeModsOf(to)]
  const widened = toMods.length === 0 || (fromMods.length > 0 && toMods[0] >= fromMods[0])
  if (source === target) {
    if (source === 'numeric') {
      const sameScale = (fromMods[1] ?? 0) === (toMods[1] ?? 0)
      if (toMods.length === 0 || (fromMods.length > 0 && toMods[0] >= fromMods[0] && sameScale)) return ok('numeric precision only grows')
      return { rewrite: 'yes', reason: 'numeric precision shrinks or its scale changes' }
    }
    if (fromMods.join() === toMods.join()) return ok('the type does not change')
    if (GROWABLE.has(source) && widened) return ok(`${source} only grows`)
    return { rewrite: 'yes', reason: `${formatType(from)} to ${formatType(to)} must check or pad every value` }
  }
  if (source === 'varchar' && target === 'text') return ok('varchar to text is binary-coercible')
  if (source === 'text' && target === 'varchar' && toMods.length === 0) return ok('text to unconstrained varchar is binary-coercible')
  if (source === 'cidr' && target === 'inet') return ok('cidr to inet is binary-coercible')
  // The citext extension declares its casts from and to text and varchar WITHOUT FUNCTION.
  if ((source === 'text' || source === 'varchar') && target === 'citext') return ok(`${source} to citext is binary-coercible`)
  if (source === 'citext' && (target === 'text' || (target === 'varchar' && toMods.length === 0))) return ok(`citext to ${target} is binary-coercible`)
  if ((source === 'timestamp' && target === 'timestamptz') || (source === 'timestamptz' && target === 'timestamp')) {
    if (pgVersion >= 12) return { rewrite: 'maybe', reason: 'since PG 12 this skips the rewrite only when the session TimeZone is UTC; in any other time zone every row is rewritten' }
    return { rewrite: 'yes', reason: 'before PG 12 every row is rewritten' }
  }
  return { rewrite: 'yes', reason: `${formatType(from)} to ${formatType(to)} is not binary-coercible` }
}

function ok(reason: string): TypeChangeVerdict {
  return { rewrite: 'no', reason }
}
