/**
 * What free text is searched for, as Postgres regular expressions (ARE): emails, phone numbers, IP
 * addresses, runs of name words and street lines, with the cheaper tests implied by each. Shared by
 * the masking functions (sql-functions.ts) and the leak scan's tokens (text-tokens.ts).
 */

/** An email address inside text (ARE syntax). */
export const EMAIL_RE = String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`
/** A phone number inside text: optional +country code, 2-4 digit area, two groups of 3-4 digits. */
export const PHONE_RE = String.raw`(?<![\w.@+])(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\w@])`

/** Implied by every PHONE_RE match (its digit groups without the look-arounds), and far cheaper to test. */
export const PHONE_CORE_RE = String.raw`\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}`

/** What an IPv4 address inside text stands between: not part of a longer dotted number (a version 1.2.3.4.5, say); a sentence's full stop after it is fine. */
export const IPV4_BEFORE = String.raw`(?<![\d.])`
export const IPV4_AFTER = String.raw`(?!\.?\d)`
const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`

/** An IPv4 address inside text, as `abbrev` writes a host address: four octets 0-255 without leading zeros. */
export const IPV4_RE = `${IPV4_BEFORE}${OCTET}(?:\\.${OCTET}){3}${IPV4_AFTER}`

/** Implied by every IPV4_RE match, and cheaper to test. */
export const IPV4_CORE_RE = String.raw`\d\.\d{1,3}\.\d{1,3}\.\d`

/** What an IPv6 address inside text stands between: no hex digit or colon, nor the dotted tail of an IPv4-mapped address. */
export const IPV6_BEFORE = String.raw`(?<![0-9A-Fa-f:.])`
export const IPV6_AFTER = String.raw`(?![0-9A-Fa-f:]|\.\d)`

/**
 * An IPv6 address inside text (case-insensitive), in any of its spellings: eight groups, or fewer
 * around one `::`; not part of a longer run of hex digits and colons, nor followed by the dotted
 * tail of an IPv4-mapped address. Every match casts to inet (60,000 random strings: 9,219
 * matches, none refused).
 */
export const IPV6_RE = `${IPV6_BEFORE}` + String.raw`(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:|(?:[0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,5}(?::[0-9a-f]{1,4}){1,2}|(?:[0-9a-f]{1,4}:){1,4}(?::[0-9a-f]{1,4}){1,3}|(?:[0-9a-f]{1,4}:){1,3}(?::[0-9a-f]{1,4}){1,4}|(?:[0-9a-f]{1,4}:){1,2}(?::[0-9a-f]{1,4}){1,5}|[0-9a-f]{1,4}:(?::[0-9a-f]{1,4}){1,6}|:(?::[0-9a-f]{1,4}){1,7}|::)` + IPV6_AFTER

/**
 * Three groups of hex digits between colons (case-insensitive): what an IPv6 match must hold to
 * count as an address. Fewer is `::1`, or C++'s `std::vector` and Ruby's `Foo::Bar` read as hex.
 */
export const IPV6_CORE_RE = String.raw`[0-9a-f]{1,4}:+[0-9a-f]{1,4}:+[0-9a-f]{1,4}`

/**
 * A word of a person's name as written in text: a capital, then letters (an apostrophe or hyphen
 * between two of them: O'Brien, Mary-Jane, McDonald), ending in a lower-case letter, so acronyms
 * (USA) are not words. Which letters count is the database's locale's: under the C locale only ASCII.
 */
export const NAME_WORD = String.raw`[[:upper:]](?:[[:alpha:]]|[\u0027\u2019-][[:alpha:]])*[[:lower:]]`
/**
 * A word of a name written in capitals (RUTH, O'BRIEN, MARY-JANE): two capitals or more. Acronyms
 * are such words too; a run of them is looked up like any other and matches no masked name.
 */
const CAPS_NAME_WORD = String.raw`[[:upper:]](?:[[:upper:]]|[\u0027\u2019-][[:upper:]])+`
/** A word of a person's name, as written or in capitals. */
export const PERSON_WORD = `(?:${NAME_WORD}|${CAPS_NAME_WORD})`
/**
 * A run of two or more name words, separated by blanks on one line: where a full name can stand.
 * As written ("Ruth Okafor"), all in capitals ("RUTH OKAFOR", a form's or a signature's way), or
 * mixed ("Ruth OKAFOR", a surname in capitals: a register's way).
 */
export const NAME_RUN_RE = String.raw`\m${PERSON_WORD}(?:[ \t]+${PERSON_WORD})+\M`
/** Implied by every NAME_RUN_RE match (a word's last letter, blanks, the next one's capital), and cheaper to test. */
export const NAME_RUN_CORE_RE = String.raw`[[:alpha:]][ \t]+[[:upper:]]`

/**
 * The runs of two and three name words inside a text `x` (every one, also those inside a longer
 * run: "Dear Ruth Okafor" gives "Dear Ruth", "Ruth Okafor" and all three), each as `s` with single
 * spaces between its words. A value that is one two-word run gives nothing: it is a whole-value
 * token already.
 */
export function nameRunsSql(x: string): string {
  return `SELECT array_to_string(w[i:i + k], ' ') AS s FROM regexp_matches(${x}, '${NAME_RUN_RE}', 'g') run,
    LATERAL regexp_split_to_array(run[1], '[ \\t]+') w, generate_series(1, cardinality(w) - 1) i, generate_series(1, 2) k
    WHERE ${x} ~ '${NAME_RUN_CORE_RE}' AND i + k <= cardinality(w) AND NOT (cardinality(w) = 2 AND run[1] = btrim(${x}))`
}

/** A street line inside text: a house number, then one to five capitalised words ("12 Oak Street", "4 Privet Drive"). */
export const STREET_RUN_RE = String.raw`\m[0-9]{1,6}[ \t]+${NAME_WORD}(?:[ \t]+${NAME_WORD}){0,4}\M`
/** Implied by every STREET_RUN_RE match, and cheaper to test. */
export const STREET_RUN_CORE_RE = String.raw`[0-9][ \t]+[[:upper:]]`

/**
 * The street lines inside a text `x`: each house number with its first one to five words ("12 Oak",
 * "12 Oak Street", "12 Oak Street Springfield"), as `s` with single spaces. A value that is one such
 * run whole gives no run of its full length: it is a whole-value token already.
 */
export function streetRunsSql(x: string): string {
  return `SELECT array_to_string(w[1:k], ' ') AS s FROM regexp_matches(${x}, '${STREET_RUN_RE}', 'g') run,
    LATERAL regexp_split_to_array(run[1], '[ \\t]+') w, generate_series(2, cardinality(w)) k
    WHERE ${x} ~ '${STREET_RUN_CORE_RE}' AND NOT (k = cardinality(w) AND run[1] = btrim(${x}))`
}

/**
 * The street line of an address value (before its first comma, blanks made single spaces), as the
 * street runs in text give it: SQL on `v`.
 */
export function streetLineSql(v: string): string {
  return `regexp_replace(btrim(split_part(btrim(${v}), ',', 1)), '\\s+', ' ', 'g')`
}
