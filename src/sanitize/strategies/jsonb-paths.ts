import { quoteIdent, quoteLiteral } from '../../postgres/sql.js'
import { isJson, type ParamSpec, type Params, type Strategy } from './strategy.js'

/** Strategies a JSON leaf can be masked with (pg_temp.kdb_json_leaf dispatches on the name). */
export const JSON_LEAF_STRATEGIES = ['email', 'phone', 'name', 'address', 'hash', 'ip', 'scrub', 'partial', 'null']
const ACTIONS = ['set', 'mask', 'delete']
const PATH_RULE_KEYS = ['path', 'action', 'strategy', 'value']

export interface JsonPathRule {
  path: string
  action: 'set' | 'mask' | 'delete'
  strategy?: string
  value?: unknown
}

/** `contact.email`, `$.recipients[*].phone`, `items[0].note` → ['contact','email'], ['recipients','*','phone']... */
export function parseJsonPath(path: string): string[] | string {
  const body = path.trim().replace(/^\$\.?/, '')
  const segments: string[] = []
  const re = /([^.[\]]+)|\[(\*|\d+)\]/gy
  let at = 0
  while (at < body.length) {
    if (body[at] === '.' && at > 0) at++
    re.lastIndex = at
    const m = re.exec(body)
    if (!m) return `cannot read "${path}" at "${body.slice(at)}" (use a.b, a[*].b or a[0].b)`
    segments.push(m[1] ?? m[2])
    at = re.lastIndex
  }
  return segments.length ? segments : `"${path}" names no key`
}

/** The same path as a SQL/JSON path, for reading the original leaves (fingerprints). */
export function toJsonPath(segments: string[]): string {
  return '$' + segments.map((s) => (s === '*' ? '[*]' : /^\d+$/.test(s) ? `[${s}]` : `.${JSON.stringify(s)}`)).join('')
}

function rules(p: Params): JsonPathRule[] {
  return (p.paths ?? []) as JsonPathRule[]
}

const PARAMS: Record<string, ParamSpec> = {
  paths: {
    type: 'array',
    description: 'What to do at each path: set a value, mask the leaves with a strategy, or delete the key.',
    schema: {
      minItems: 1,
      items: {
        type: 'object',
        required: ['path', 'action'],
        additionalProperties: false,
        properties: {
          path: { type: 'string', description: 'a.b, a[*].b (every element), a[0].b; a leading $. is allowed' },
          action: { enum: ACTIONS },
          strategy: { enum: JSON_LEAF_STRATEGIES, description: 'With action mask: how the string leaves there are masked.' },
          value: { description: 'With action set: the JSON value written there.' },
        },
      },
    },
  },
  domain: { type: 'string', description: 'The fake email addresses\' domain for leaves masked by email or scrub (default example.com).' },
}

/** JSON / JSONB path rules: set, mask (with a leaf strategy) or delete at a path, arrays included. */
export const jsonbPaths: Strategy = {
  name: 'jsonb',
  summary: 'path rules: { path, action: set|mask|delete, strategy, value }; arrays with [*]',
  injective: false,
  deterministic: true,
  rejects: (c) => (isJson(c) ? undefined : `needs a json or jsonb column, this one is ${c.sqlType}`),
  params: PARAMS,
  required: ['paths'],
  checkParams(p) {
    if (!rules(p).length) return 'needs `paths`: a list of { path, action, strategy?, value? }'
    for (const r of rules(p)) {
      if (typeof r !== 'object' || r === null || typeof r.path !== 'string') return 'each path rule needs a `path` string'
      const unknown = Object.keys(r).find((key) => !PATH_RULE_KEYS.includes(key))
      if (unknown) return `path ${r.path}: unknown key "${unknown}" (known: ${PATH_RULE_KEYS.join(', ')})`
      const parsed = parseJsonPath(r.path)
      if (typeof parsed === 'string') return parsed
      if (!ACTIONS.includes(r.action)) return `path ${r.path}: action must be one of ${ACTIONS.join(', ')}`
      if (r.action === 'mask' && !JSON_LEAF_STRATEGIES.includes(String(r.strategy)))
        return `path ${r.path}: mask needs a strategy among ${JSON_LEAF_STRATEGIES.join(', ')}`
      if (r.action === 'set' && !('value' in r)) return `path ${r.path}: set needs a \`value\``
    }
    return undefined
  },
  sql(expr, p, c) {
    const domain = quoteLiteral(String(p.domain ?? 'example.com'))
    let out = c.typeName === 'json' ? `${expr}::jsonb` : expr
    for (const r of rules(p)) {
      const path = `ARRAY[${(parseJsonPath(r.path) as string[]).map(quoteLiteral).join(', ')}]::text[]`
      const value = r.action === 'set' ? `${quoteLiteral(JSON.stringify(r.value ?? null))}::jsonb` : 'NULL::jsonb'
      out = `pg_temp.kdb_json(${out}, ${path}, ${quoteLiteral(r.action)}, ${quoteLiteral(String(r.strategy ?? ''))}, ${value}, ${domain})`
    }
    return c.typeName === 'json' ? `${out}::json` : out
  },
  fingerprint: 'json',
}

/** SQL/JSON paths whose string leaves are the original values this rule removes. */
export function maskedJsonPaths(p: Params): string[] {
  return rules(p).map((r) => toJsonPath(parseJsonPath(r.path) as string[]))
}

/** The string leaves of a JSON column at a path (and below it), as a SELECT of text. */
export function jsonLeavesSql(column: string, path: string): string {
  return `SELECT j #>> '{}' FROM jsonb_path_query(${quoteIdent(column)}::jsonb, ${quoteLiteral(`lax ${path}.** ? (@.type() == "string")`)}) j`
}

/** Those of maskedJsonPaths whose leaves `strategy` masks (`scrub`: free text, whose original is no secret as a whole; `name`: full names). */
export function jsonPathsMaskedBy(p: Params, strategy: string): string[] {
  return rules(p).filter((r) => r.action === 'mask' && r.strategy === strategy).map((r) => toJsonPath(parseJsonPath(r.path) as string[]))
}
