import type { RuleContext } from './context.js'
import type { Rule } from './define-rule.js'
import type { AstNode } from './types.js'

/**
 * Whether a rule can fire on statements of a kind (`IndexStmt`, `AlterTableStmt`...), learned by
 * running its check once on a probe of that kind: `{ [kind]: node }` where `node` and the context
 * notice any use. A rule that returned nothing without reading the node or the context returns
 * nothing for every statement of that kind: checks are pure, and up to that point a real statement
 * of the kind takes the very same path (same key, a node object it never looked into). A rule that
 * read either, threw or fired on the probe runs on every statement of the kind, as before.
 *
 * With ~50 rules, most of which look at one or two kinds, this skips most rule calls on a large
 * migration (bench/lint-throughput.mjs) without rules having to declare anything.
 */
export function ruleAppliesTo(rule: Rule, kind: string): boolean {
  let byKind = cache.get(rule)
  if (!byKind) cache.set(rule, (byKind = new Map()))
  let applies = byKind.get(kind)
  if (applies === undefined) {
    applies = probe(rule, kind)
    byKind.set(kind, applies)
  }
  return applies
}

const cache = new WeakMap<Rule, Map<string, boolean>>()

function probe(rule: Rule, kind: string): boolean {
  let used = false
  const notice = { get: () => ((used = true), undefined), has: () => ((used = true), false), ownKeys: () => ((used = true), []), getOwnPropertyDescriptor: () => ((used = true), undefined), getPrototypeOf: () => ((used = true), Object.prototype) }
  const node = new Proxy({}, notice) as AstNode
  const ctx = new Proxy({}, notice) as RuleContext
  try {
    const hit = rule.check({ [kind]: node }, ctx)
    return used || Boolean(hit)
  } catch {
    return true
  }
}
