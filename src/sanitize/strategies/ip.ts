import { type ColumnType, type Strategy } from './strategy.js'

/** An inet or cidr column: the ip strategy keeps its type. */
export const isNetworkType = (c: ColumnType) => c.typeName === 'inet' || c.typeName === 'cidr'

/**
 * A keyed fake IP address of the same family and prefix length: IPv4 in 10.0.0.0/8, IPv6 in the
 * unique-local fd00::/8, so a fake can never be someone's real public address. Same address → same
 * fake, so a user's sessions and audit rows still line up. An IP address is personal data (GDPR
 * recital 30); before this strategy the suggestion for a NOT NULL `inet` column was `keep`.
 * inet and cidr columns keep their type (cidr: the fake network of the same length); a text column
 * holding something that is not an address gets a fake IPv4 derived from its text.
 */
export const ip: Strategy = {
  name: 'ip',
  summary: 'fake IP address of the same family and prefix length (10.0.0.0/8, fd00::/8); same input → same output',
  injective: false,
  deterministic: true,
  rejects: (c) => (isNetworkType(c) || c.category === 'S' ? undefined : `needs an inet, cidr or text column, this one is ${c.sqlType}`),
  params: {},
  sql(expr, _p, c) {
    if (c.typeName === 'inet') return `pg_temp.kdb_ip(${expr})`
    if (c.typeName === 'cidr') return `network(pg_temp.kdb_ip(${expr}))`
    return `pg_temp.kdb_ip_text(${expr})`
  },
  fingerprint: 'value',
}
