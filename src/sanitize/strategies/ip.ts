import { checkKnown, type ColumnType, type Strategy } from './strategy.js'

const NETWORK_TYPES = new Set(['inet', 'cidr'])

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
  rejects: (c) => (NETWORK_TYPES.has(c.typeName) || c.category === 'S' ? undefined : `needs an inet, cidr or text column, this one is ${c.sqlType}`),
  checkParams: (p) => checkKnown(p, {}),
  sql(expr: string, _p, c: ColumnType) {
    if (c.typeName === 'inet') return `pg_temp.kdb_ip(${expr})`
    if (c.typeName === 'cidr') return `network(pg_temp.kdb_ip(${expr}))`
    return `pg_temp.kdb_ip_text(${expr})`
  },
  fingerprint: 'value',
}
