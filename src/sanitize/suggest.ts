import { isIP } from 'node:net'
import type pg from 'pg'
import { readCatalog, type Catalog, type CatalogColumn, type CatalogTable } from './catalog.js'
import { quoteIdent } from '../postgres/sql.js'
import { connectTarget } from './plan.js'
import { tableSql } from './row-key.js'
import { toJsonPath } from './strategies/jsonb-paths.js'
import { isNetworkType } from './strategies/ip.js'
import { noise } from './strategies/noise.js'
import { IPV4_RE, IPV6_CORE_RE, IPV6_RE } from './text-patterns.js'
import type { RuleSpec, SanitizeRulesConfig } from './types.js'
import { RULES_SCHEMA_PATH } from './rules-schema.js'

export interface Suggestion {
  table: string
  column: string
  rule: RuleSpec
  /** Why: the column name, the sampled content, or both. */
  reason: string
}

export interface SuggestRulesResult {
  config: SanitizeRulesConfig
  suggestions: Suggestion[]
  /** The proposed rules file, with each reason as a comment. Never applied by the tool. */
  yaml: string
}

const CONTENT: [string, RegExp][] = [
  ['email', /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i],
  ['phone', /^\+?[\d\s().-]{9,20}$/],
  ['bcrypt', /^\$2[abxy]?\$\d\d\$/],
  ['jwt', /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/],
  ['api-key', /^(?:(?:sk|pk|rk)_(?:live|test)_|AKIA|xox[abpr]-|gh[pousr]_|(?:AC|SK|SM|MM)[0-9a-f]{32}$)/],
  ['card', /^(?:\d[ -]?){13,19}$/],
  // A street address: a house number, capitalised words, a street kind ("12 Oak Street, Springfield").
  ['address', /^\s*\d{1,6}[a-z]?\s+(?:\p{Lu}[\p{L}'.-]*\s+){1,4}(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|court|ct|way|place|pl|boulevard|blvd|terrace|ter|close|crescent|highway|hwy)\b\.?/iu],
]
const EMBEDDED: [string, RegExp][] = [
  ['email', /[^\s@]+@[^\s@]+\.[a-z]{2,}/i],
  ['phone', /(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}/],
]
/** IP addresses inside text as scrub finds them (sql-functions.ts; the same syntax in both engines): an IPv6 one needs three groups. */
const IPV4 = new RegExp(IPV4_RE, 'g')
const IPV6 = new RegExp(IPV6_RE, 'gi')
const IPV6_CORE = new RegExp(IPV6_CORE_RE, 'i')

/** An IP address or network written as the whole value (`203.0.113.7`, `2001:db8::/32`): what the ip strategy masks in a text column. */
function isAddress(v: string): boolean {
  const [address, prefix, ...rest] = v.trim().split('/')
  return isIP(address) !== 0 && rest.length === 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix))
}

/** The IP addresses inside a text. */
function addressesIn(v: string): string[] {
  return [...(v.match(IPV4) ?? []), ...(v.match(IPV6) ?? []).filter((m) => IPV6_CORE.test(m))]
}
const STAGING_BCRYPT = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.jyD2b4Z8Xq9GvR1mFQz5GQ1vZ0e.'

function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

/** The share of sampled values matching each content kind. */
function contentKinds(values: string[]): Map<string, number> {
  const kinds = new Map<string, number>()
  const count = (kind: string) => kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
  for (const v of values) {
    // An address is not also a phone number (192.168.100.200 has the digits of one).
    if (isAddress(v)) {
      count('ip')
      continue
    }
    const addresses = addressesIn(v)
    if (addresses.length) count('embedded-ip')
    const text = addresses.reduce((t, a) => t.replaceAll(a, ' '), v)
    for (const [kind, re] of CONTENT) if (re.test(v) && (kind !== 'card' || luhn(v.replace(/\D/g, '')))) count(kind)
    for (const [kind, re] of EMBEDDED) if (!CONTENT.find(([k]) => k === kind)![1].test(v) && re.test(text)) count(`embedded-${kind}`)
    if (isProse(v)) count('prose')
  }
  return new Map([...kinds].map(([k, n]) => [k, n / Math.max(values.length, 1)]))
}

/** Five words or more: a sentence, where people name each other (scrub finds the full names a masked column held). */
function isProse(v: string): boolean {
  return (v.match(/\p{L}{2,}/gu)?.length ?? 0) >= 5
}

function byName(table: string, c: CatalogColumn): [RuleSpec, string] | null {
  const n = c.name.toLowerCase()
  const text = c.type.category === 'S'
  if (text && /e_?mail/.test(n)) return ['email', 'column name']
  if (text && /(phone|mobile|msisdn|^tel|_tel$|sms_number)/.test(n)) return ['phone', 'column name']
  if (text && /(first_?name|given_?name)/.test(n)) return [{ strategy: 'name', part: 'first' }, 'column name']
  if (text && /(last_?name|surname|family_?name)/.test(n)) return [{ strategy: 'name', part: 'last' }, 'column name']
  if (text && /(full_?name|display_?name|^name$)/.test(n) && /(user|contact|member|person|people|customer|account|staff|guest)/.test(table)) return ['name', 'column name in a table of people']
  // Before the street address: `ip_address` is not one.
  if (isNetworkType(c.type) || (text && /(^ip$|ip_?addr|_ip$)/.test(n))) return ['ip', 'an IP address is personal data']
  if (text && /(address|street|addr_line|postal|zip)/.test(n)) return ['address', 'column name']
  if (text && /(password|passwd|pwd_hash)/.test(n)) return [{ strategy: 'constant', value: STAGING_BCRYPT }, 'column name: a known staging password hash']
  if (text && /(token|secret|api_?key|_sid$|stripe|twilio|provider.*id|external_id|customer_id)/.test(n)) return ['hash', 'column name: credential or provider id']
  if (text && /(body|message|note|comment|bio|description|content)/.test(n)) return ['scrub', 'column name: free text']
  if (['date', 'timestamp', 'timestamptz'].includes(c.type.typeName) && /(birth|dob)/.test(n)) return [{ strategy: 'date-shift', days: 180 }, 'column name: date of birth']
  if (!noise.rejects(c.type) && /(salary|income|wage|donation)/.test(n)) return ['noise', 'column name: a personal amount']
  return null
}

function byContent(kinds: Map<string, number>, c: CatalogColumn): [RuleSpec, string] | null {
  const top = [...kinds].filter(([, share]) => share >= 0.3).sort((a, b) => b[1] - a[1])[0]
  if (!top || c.type.category !== 'S') return null
  const pct = `${Math.round(top[1] * 100)}% of sampled values`
  switch (top[0]) {
    case 'email': return ['email', `${pct} are emails`]
    case 'phone': return ['phone', `${pct} are phone numbers`]
    case 'bcrypt': return [{ strategy: 'constant', value: STAGING_BCRYPT }, `${pct} are bcrypt hashes`]
    case 'jwt': return ['hash', `${pct} are JWTs`]
    case 'api-key': return ['hash', `${pct} carry API key / provider id prefixes`]
    case 'card': return [{ strategy: 'partial', keep_last: 4 }, `${pct} look like card numbers (Luhn)`]
    case 'address': return ['address', `${pct} are street addresses`]
    case 'ip': return ['ip', `${pct} are IP addresses`]
    case 'embedded-ip': return ['scrub', `${pct} contain IP addresses inside text`]
    case 'prose': return ['scrub', `${pct} are free text (five words or more), where names, emails and phones can stand`]
    default: return ['scrub', `${pct} contain ${top[0].replace('embedded-', '')}s inside text`]
  }
}

/** JSON leaves whose sampled strings look personal → path rules. */
function jsonPaths(docs: unknown[]): { path: string; action: 'mask'; strategy: string }[] {
  const found = new Map<string, string>()
  const walk = (v: unknown, path: string[]) => {
    if (Array.isArray(v)) v.forEach((e) => walk(e, [...path, '*']))
    else if (v && typeof v === 'object') for (const [k, e] of Object.entries(v)) walk(e, [...path, k])
    else if (typeof v === 'string' && path.length) {
      const kinds = contentKinds([v])
      const strategy = kinds.has('email') ? 'email' : kinds.has('phone') ? 'phone' : kinds.has('api-key') || kinds.has('jwt') ? 'hash' : kinds.has('ip') ? 'ip' : kinds.has('address') ? 'address' : kinds.has('embedded-email') || kinds.has('embedded-phone') || kinds.has('embedded-ip') ? 'scrub' : /name$/i.test(path[path.length - 1]) ? 'name' : null
      if (strategy) found.set(toJsonPath(path).replace(/^\$\.?/, '').replace(/"/g, ''), strategy)
    }
  }
  for (const d of docs) walk(d, [])
  return [...found].map(([path, strategy]) => ({ path, action: 'mask', strategy }))
}

async function suggestColumn(client: pg.Client, t: CatalogTable, c: CatalogColumn, sample: number): Promise<[RuleSpec, string]> {
  if (c.generated) return ['keep', 'generated column']
  const isJson = c.type.typeName === 'json' || c.type.typeName === 'jsonb'
  if (c.type.category !== 'S' && !isJson) return byName(t.name, c) ?? ['keep', `${c.type.sqlType}: not text`]
  const column = quoteIdent(c.name)
  const { rows } = await client.query(`SELECT ${column}::${isJson ? 'jsonb' : 'text'} AS v FROM ${tableSql(t.qualified)} WHERE ${column} IS NOT NULL LIMIT ${sample}`)
  if (isJson) {
    const paths = jsonPaths(rows.map((r) => r.v))
    return paths.length ? [{ strategy: 'jsonb', paths }, `sampled documents hold personal data at ${paths.length} path(s)`] : ['keep', 'no personal data in sampled documents']
  }
  return byName(t.name, c) ?? byContent(contentKinds(rows.map((r) => r.v as string)), c) ?? ['keep', rows.length ? 'nothing personal in the sample' : 'no values to sample']
}

/** The column of a table that gives a person's first name as SQL on alias `r`: a first-name column, else a full name's first word. */
function firstNameSql(t: CatalogTable): string | null {
  const rules = t.columns.map((c) => [c, byName(t.name, c)?.[0]] as const)
  const first = rules.find(([, r]) => typeof r === 'object' && r !== null && 'part' in r && r.part === 'first')
  if (first) return `r.${quoteIdent(first[0].name)}::text`
  const full = rules.find(([, r]) => r === 'name')
  return full ? `split_part(btrim(r.${quoteIdent(full[0].name)}::text), ' ', 1)` : null
}

/**
 * For free text: the foreign key to the person the sampled texts name by first name ("Hi Ruth,"),
 * when at least 30% of them do, for `scrub`'s names_of; the best such key when several point to people.
 */
async function personNamed(client: pg.Client, catalog: Catalog, t: CatalogTable, c: CatalogColumn, sample: number): Promise<[string, number] | null> {
  let best: [string, number] | null = null
  for (const fk of catalog.foreignKeys.filter((f) => f.table === t.qualified && f.columns.length === 1)) {
    const ref = catalog.tables.get(fk.refTable)
    const first = ref && firstNameSql(ref)
    if (!first) continue
    const { rows } = await client.query(`SELECT count(*) FILTER (WHERE length(f) >= 2 AND strpos(lower(s.v), lower(f)) > 0) AS named, count(*) AS n FROM (
      SELECT t.${quoteIdent(c.name)}::text AS v, ${first} AS f FROM ${tableSql(t.qualified)} t JOIN ${tableSql(fk.refTable)} r ON r.${quoteIdent(fk.refColumns[0])} = t.${quoteIdent(fk.columns[0])}
      WHERE t.${quoteIdent(c.name)} IS NOT NULL LIMIT ${sample}) s`)
    const share = Number(rows[0].named) / Math.max(Number(rows[0].n), 1)
    if (share >= 0.3 && (!best || share > best[1])) best = [fk.columns[0], share]
  }
  return best
}

/**
 * Samples the database and proposes a rules file: column names, types and sampled content mark
 * likely personal data. Referencing columns of a masked foreign key are left out: they follow.
 * @example
 * const { yaml } = await suggestRules({ target: url }); await writeFile('sanitize.yaml', yaml)
 */
export interface SuggestRulesOptions {
  /** The database to sample (`--target`). */
  target: string
  /** Rows sampled per column. Default 200. */
  sampleRows?: number
}

export async function suggestRules(options: SuggestRulesOptions): Promise<SuggestRulesResult> {
  const client = await connectTarget(options.target)
  try {
    const catalog = await readCatalog(client)
    const sample = options.sampleRows ?? 200
    const config: SanitizeRulesConfig = { version: 1, tables: {} }
    const suggestions: Suggestion[] = []
    // The schema line: editors that run yaml-language-server complete and check the file with it.
    const lines = ['# Proposed by `koinonia-db sanitize suggest`: review every line before using it.', `# yaml-language-server: $schema=./node_modules/koinonia-db/${RULES_SCHEMA_PATH}`, 'version: 1', 'tables:']
    for (const t of catalog.tables.values()) {
      const rules: Record<string, RuleSpec> = {}
      lines.push(`  ${t.schema === 'public' ? t.name : t.qualified}:`)
      for (const c of t.columns) {
        let [rule, reason] = await suggestColumn(client, t, c, sample)
        const person = rule === 'scrub' ? await personNamed(client, catalog, t, c, sample) : null
        if (person) {
          rule = { strategy: 'scrub', names_of: person[0] }
          reason = `${reason}; ${Math.round(person[1] * 100)}% of sampled values name the person ${person[0]} references by first name`
        }
        const fk = catalog.foreignKeys.find((f) => f.table === t.qualified && f.columns.includes(c.name))
        if (fk && rule !== 'keep') {
          lines.push(`    # ${c.name}: follows ${fk.refTable} through foreign key ${fk.name}`)
          continue
        }
        rules[c.name] = rule
        suggestions.push({ table: t.qualified, column: c.name, rule, reason })
        lines.push(`    ${JSON.stringify(c.name)}: ${JSON.stringify(rule)}  # ${reason}`)
      }
      config.tables[t.schema === 'public' ? t.name : t.qualified] = rules
    }
    return { config, suggestions, yaml: `${lines.join('\n')}\n` }
  } finally {
    await client.end()
  }
}
