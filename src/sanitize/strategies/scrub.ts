import { quoteIdent, quoteLiteral } from '../../postgres/sql.js'
import { checkKnown, onlyText, type Strategy } from './strategy.js'

/**
 * Free text: every email address, IP address and phone number found inside is replaced by the
 * same fake the email, ip and phone strategies give, so a number in a message body matches the
 * masked contact, and an address in a log line the masked login; and every full name a masked
 * name column held, by the name strategy's fake of it, unless `names: false` (it costs ~20 µs per
 * text with capitalised words in a row, and ~65 µs per text holding such a name). With `names_of:
 * <column>` (a foreign key to the person the text is about), also that person's first and last
 * name where they stand alone ("Hi Ruth,"), by the fakes their row got.
 */
export const scrub: Strategy = {
  name: 'scrub',
  summary: 'replace emails, IP addresses, phone numbers and masked full names found inside free text (names: false to skip names)',
  injective: false,
  deterministic: true,
  rejects: onlyText,
  checkParams: (p) => checkKnown(p, { domain: 'string', names: 'boolean', names_of: 'string' }),
  // names_of_table: the table names_of references, put in by the plan (person-names.ts).
  sql: (expr, p) => `pg_temp.kdb_scrub(${expr}, ${quoteLiteral(String(p.domain ?? 'example.com'))}${p.names === false && !p.names_of_table ? ', false' : ''}${
    p.names_of_table ? `, ${p.names !== false}, ${quoteLiteral(String(p.names_of_table))}, ${quoteIdent(String(p.names_of))}::text` : ''})`,
  fingerprint: 'text',
}
