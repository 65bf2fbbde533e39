import type { RuleContext } from './context.js'
import type { Rule } from './define-rule.js'
import type { AstNode } from './types.js'

/**
 * Whether a rule can fire on statements of a shape, learned by running its check once on a probe
 * of that shape, a node that notices any use. A shape is the statement's kind (`IndexStmt`...),
 * and for ALTER TABLE also its object type and the type of each subcommand, in order: half of a
 * large migration is ALTER TABLE, and most of the ~20 rules that look at ALTER TABLE look for one
 * subcommand type. A rule that returned nothing having read no more than the shape returns nothing
 * for every statement of that shape: checks are pure, and up to that point a real statement takes
 * the very same path (same keys, same answers). A rule that read anything else, threw or fired on
 * the probe runs on every statement of the shape.
 *
 * With ~55 rules, most of which look at one or two kinds, this skips most rule calls on a large
 * migration (bench/lint-throughput.mjs) without rules having to declare anything.
 */
export function ruleAppliesTo(rule: Rule, shape: string): boolean {
  let byShape = cache.get(rule)
  if (!byShape) cache.set(rule, (byShape = new Map()))
  let applies = byShape.get(shape)
  if (applies === undefined) {
    applies = probe(rule, shape)
    byShape.set(shape, applies)
  }
  return applies
}

const cache = new WeakMap<Rule, Map<string, boolean>>()
const ALTER = 'AlterTableStmt'

/** The statement's shape: its kind, and for ALTER TABLE `AlterTableStmt <objtype> <subtype>...`. */
export function statementShape(kind: string, stmt: AstNode): string {
  if (kind !== ALTER) return kind
  const node = stmt[ALTER]
  const objtype = node?.objtype
  const cmds = node?.cmds
  if (typeof objtype !== 'string' || !Array.isArray(cmds)) return kind
  // Anything the probe could not mimic exactly: judged by kind alone.
  for (let i = 0; i < cmds.length; i++) if (typeof cmds[i]?.AlterTableCmd?.subtype !== 'string' || !hasOneKey(cmds[i])) return kind
  // Most ALTER TABLE statements have one subcommand: their shape is looked up, not written anew
  // (a kept string is not hashed again by the Map lookups that follow).
  if (cmds.length === 1) {
    const subtype: string = cmds[0].AlterTableCmd.subtype
    let bySubtype = SINGLE.get(objtype)
    if (!bySubtype) SINGLE.set(objtype, (bySubtype = new Map()))
    let shape = bySubtype.get(subtype)
    if (shape === undefined) bySubtype.set(subtype, (shape = `${ALTER} ${objtype} ${subtype}`))
    return shape
  }
  let shape = `${ALTER} ${objtype}`
  for (let i = 0; i < cmds.length; i++) shape += ` ${cmds[i].AlterTableCmd.subtype}`
  return shape
}

/** The shapes of one-subcommand ALTER TABLE statements: object type → subcommand type → shape. */
const SINGLE = new Map<string, Map<string, string>>()

/** `{ AlterTableCmd: {...} }` and nothing else, without the array Object.keys would make. */
function hasOneKey(node: object): boolean {
  let keys = 0
  for (const _ in node) if (++keys > 1) return false
  return keys === 1
}

function probe(rule: Rule, shape: string): boolean {
  let used = false
  /** A node that answers `known` keys and notices any other use. */
  const watched = (known: Record<string, unknown>) => new Proxy({}, {
    get: (_, key) => (typeof key === 'string' && Object.hasOwn(known, key) ? known[key] : ((used = true), undefined)),
    has: () => ((used = true), false),
    ownKeys: () => ((used = true), []),
    getOwnPropertyDescriptor: () => ((used = true), undefined),
    getPrototypeOf: () => ((used = true), Object.prototype),
  })
  const [kind, objtype, ...subtypes] = shape.split(' ')
  const node = kind === ALTER && objtype
    ? watched({ objtype, cmds: subtypes.map((subtype) => ({ AlterTableCmd: watched({ subtype }) })) })
    : watched({})
  const ctx = watched({}) as RuleContext
  try {
    const hit = rule.check({ [kind]: node as AstNode }, ctx)
    return used || Boolean(hit)
  } catch {
    return true
  }
}
