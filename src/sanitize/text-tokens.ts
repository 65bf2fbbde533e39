import { STREET_FAKE_RE } from './fake-words.js'
import { EMAIL_RE, IPV4_CORE_RE, IPV4_RE, IPV6_CORE_RE, IPV6_RE, nameRunsSql, PHONE_CORE_RE, PHONE_RE, streetRunsSql } from './text-patterns.js'

export interface TokenOptions {
  /** An SQL condition: where it holds, also the runs of two and three name words (nameRunsSql): free text, where a full name a masked column held can stand. */
  names?: string
  /** The whole value as a token (default). Not for what `scrub` masks: that is inside a text, and a text it found nothing in stays as it was. */
  whole?: boolean
  /** An SQL expression, a regex or NULL: whole values and name runs it matches are no tokens, being what a mask wrote there (NAME_FAKE_RE). */
  fake?: string
  /** An SQL condition: where it holds, the private addresses (10/8, fd00::/8) are fakes the ip strategy or scrub wrote, so none is a token. */
  fakeAddresses?: string
  /**
   * An SQL condition: where it holds, every phone number is a fake the phone strategy or scrub wrote
   * (their keyed digits equal some real number's last 9 in about originals / 10⁹ of the fakes: ~50
   * of 100,000 numbers of one exchange), so none is a token.
   */
  fakePhones?: string
  /** An SQL condition: where it holds, also the street lines inside the text (streetRunsSql), when a column held addresses. */
  streets?: string
  /** An SQL condition: where it holds, street lines shaped like the address strategy's fakes are no tokens (scrub wrote them). */
  fakeStreets?: string
}

/**
 * The tokens a text value is fingerprinted by, the same for originals and for the leak scan: the
 * whole value, each email and IP address inside it (an IPv6 one as inet writes it), the last 9
 * digits of each phone number inside it. The tests in front of the regexes are necessary
 * conditions of a match, so they change no token, they only skip work: most values hold no '@' and
 * no run of digits, and an exact address is the whole value. Inlined as a LATERAL subquery, it
 * costs no function call per value.
 */
export function tokensSql(x: string, { names, whole = true, fake, fakeAddresses, fakePhones, streets, fakeStreets }: TokenOptions = {}): string {
  // Case-blind: scrub writes the fake of a name in capitals in capitals.
  const notFake = (t: string) => (fake ? ` AND (${fake} IS NULL OR ${t} !~* ${fake})` : '')
  const notFakeAddress = (address: string, re: string) => (fakeAddresses ? ` AND NOT (${fakeAddresses} AND ${address} ~ '${re}')` : '')
  return `SELECT 'v:' || lower(btrim(${x})) WHERE ${whole} AND length(btrim(${x})) >= 4${notFake(`btrim(${x})`)}${names ? `
  UNION ALL SELECT 'v:' || lower(n.s) FROM (${nameRunsSql(x)}) n WHERE ${names}${notFake('n.s')}` : ''}${streets ? `
  UNION ALL SELECT 'v:' || lower(a.s) FROM (${streetRunsSql(x)}) a WHERE ${streets}${fakeStreets ? ` AND NOT (${fakeStreets} AND a.s ~ '${STREET_FAKE_RE}')` : ''}` : ''}
  UNION ALL SELECT 'v:' || lower(m[1]) FROM regexp_matches(${x}, '${EMAIL_RE}', 'g') m WHERE strpos(${x}, '@') > 0${whole ? ` AND ${x} !~ '^${EMAIL_RE}$'` : ''}
  UNION ALL SELECT 'v:' || m[1] FROM regexp_matches(${x}, '${IPV4_RE}', 'g') m WHERE strpos(${x}, '.') > 0 AND ${x} ~ '${IPV4_CORE_RE}'${whole ? ` AND btrim(${x}) !~ '^${IPV4_RE}$'` : ''}${notFakeAddress('m[1]', '^10\\.')}
  UNION ALL SELECT 'v:' || a FROM (SELECT abbrev(m[1]::inet) AS a FROM regexp_matches(${x}, '${IPV6_RE}', 'gi') m
    WHERE strpos(${x}, ':') > 0 AND ${x} ~* '${IPV6_CORE_RE}' AND m[1] ~* '${IPV6_CORE_RE}') i WHERE true${notFakeAddress('a', '^fd')}
  UNION ALL SELECT 'tel:' || right(d, 9) FROM (SELECT pg_temp.kdb_digits(m[1]) AS d FROM regexp_matches(${x}, '${PHONE_RE}', 'g') m
    WHERE ${fakePhones ? `NOT ${fakePhones} AND ` : ''}${x} ~ '${PHONE_CORE_RE}') p WHERE length(d) >= 9`
}
