import { quoteIdent, quoteLiteral } from '../../postgres/sql.js'
import { type ParamSpec, onlyText, type Strategy } from './strategy.js'

const PARAMS: Record<string, ParamSpec> = {
  domain: { type: 'string', description: 'The fake email addresses\' domain (default example.com).' },
  names: { type: 'boolean', description: 'false: leave full names in the text alone (default true: the full names masked name columns held are replaced).' },
  names_of: { type: 'string', description: 'A column of this table that points to the person the text is about or sent to (a foreign key or a declared reference): that person\'s first and last name are replaced where they stand alone.' },
}

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
  params: PARAMS,
  // names_of_table: the table names_of references, put in by the plan (person-names.ts).
  sql: (expr, p) => `pg_temp.kdb_scrub(${expr}, ${quoteLiteral(String(p.domain ?? 'example.com'))}${p.names === false && !p.names_of_table ? ', false' : ''}${
    p.names_of_table ? `, ${p.names !== false}, ${quoteLiteral(String(p.names_of_table))}, ${quoteIdent(String(p.names_of))}::text` : ''})`,
  fingerprint: 'text',
}
