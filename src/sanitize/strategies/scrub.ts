import { quoteLiteral } from '../../postgres/sql.js'
import { checkKnown, onlyText, type Strategy } from './strategy.js'

/**
 * Free text: every email address, IP address and phone number found inside is replaced by the
 * same fake the email, ip and phone strategies give, so a number in a message body matches the
 * masked contact, and an address in a log line the masked login.
 */
export const scrub: Strategy = {
  name: 'scrub',
  summary: 'replace emails, IP addresses and phone numbers found inside free text',
  injective: false,
  deterministic: true,
  rejects: onlyText,
  checkParams: (p) => checkKnown(p, { domain: 'string' }),
  sql: (expr, p) => `pg_temp.kdb_scrub(${expr}, ${quoteLiteral(String(p.domain ?? 'example.com'))})`,
  fingerprint: 'text',
}
