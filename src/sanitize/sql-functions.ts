import type pg from 'pg'
import { tableExists } from '../postgres/table-exists.js'
import type { SanitizeKey } from './key.js'
import { CITIES, FIRST, KINDS, LAST, STREETS, TWO_DIGIT_CC } from './fake-words.js'
import { tokensSql } from './text-tokens.js'
import { EMAIL_RE, IPV4_AFTER, IPV4_BEFORE, IPV4_CORE_RE, IPV4_RE, IPV6_AFTER, IPV6_BEFORE, IPV6_CORE_RE, IPV6_RE, NAME_RUN_CORE_RE, NAME_RUN_RE, PERSON_WORD, PHONE_RE, STREET_RUN_CORE_RE, STREET_RUN_RE } from './text-patterns.js'

/** Bytes of a fingerprint (80 bits): also the hex length of the hash in a fake email is twice this. */
export const FP_BYTES = 10

/**
 * Longest hash fake (hex digits) that carries its fingerprint: the digest it is cut from keeps
 * 8 bytes hidden, so it never shows a whole SHA-256 state to extend.
 */
export const HASH_FP_MAX_HEX = 48

/**
 * Street lines the address strategy masked, by fingerprint, with the street line of their fake, for
 * `scrub` to replace them in free text: filled before the run masks any table (street-lines.ts).
 */
export const STREET_FPS_TABLE = 'koinonia_sanitize.street_fps'

/**
 * Fingerprints of the full names masked name columns held (`v:` tokens), for `scrub` to find them
 * in free text: filled before the run masks any table (name-fingerprints.ts).
 */
export const NAME_FPS_TABLE = 'koinonia_sanitize.name_fps'

/**
 * For `scrub` with `names_of`: by person (the referenced table and key), the fingerprint of each
 * word of their masked names and the fake it becomes (person-names.ts).
 */
export const PERSON_NAMES_TABLE = 'koinonia_sanitize.person_names'

const arr = (words: string) => `ARRAY[${words.split(' ').map((w) => `'${w}'`).join(',')}]`
const pick = (words: string, h: string, at: number) => `(${arr(words)})[1 + pg_temp.kdb_int(${h}, ${at}) % ${words.split(' ').length}]`

/**
 * Helper functions, created in pg_temp: they vanish with the session, so a crash leaves nothing
 * behind and no key material ever sits in a function body (the keys are session settings).
 */
const FUNCTIONS = String.raw`
CREATE FUNCTION pg_temp.kdb_mac(d text, v text) RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT sha256(decode(current_setting('koinonia.mo'), 'hex') || sha256(decode(current_setting('koinonia.mi'), 'hex') || convert_to(d || ':' || v, 'UTF8'))) $$;
-- kdb_fp_k takes the key as an argument: a run passes it as an InitPlan, decoded once per statement.
CREATE FUNCTION pg_temp.kdb_fp_k(k bytea, t text) RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT substr(sha256(k || convert_to(t, 'UTF8')), 1, ${FP_BYTES}) $$;
-- The first n bytes of the keyed SHA-256 of t: a fingerprint is its first ${FP_BYTES}, the hash
-- strategy's fake (kdb_hash_fp) takes more.
CREATE FUNCTION pg_temp.kdb_keyed(t text, n int) RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT substr(sha256(decode(current_setting('koinonia.fk'), 'hex') || convert_to(t, 'UTF8')), 1, n) $$;
CREATE FUNCTION pg_temp.kdb_fp(t text) RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT pg_temp.kdb_keyed(t, ${FP_BYTES}) $$;
CREATE FUNCTION pg_temp.kdb_digits(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT translate(v, translate(v, '0123456789', ''), '') $$;
CREATE FUNCTION pg_temp.kdb_int(h bytea, o int) RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT (get_byte(h, o)::bigint << 24) | (get_byte(h, o + 1) << 16) | (get_byte(h, o + 2) << 8) | get_byte(h, o + 3) $$;
-- The fake address carries the fingerprint of the original (same token as the leak scan's, 'v:' +
-- lower-cased address): one keyed hash instead of two, and the run reads the fingerprints of email
-- columns back from the masked values instead of hashing every original a second time.
CREATE FUNCTION pg_temp.kdb_email(v text, dom text) RETURNS text LANGUAGE sql STABLE AS
$$ SELECT 'user_' || encode(pg_temp.kdb_fp('v:' || lower(btrim(v))), 'hex') || '@' || dom $$;
CREATE FUNCTION pg_temp.kdb_cc(d text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN left(d, 1) IN ('1', '7') THEN left(d, 1) WHEN left(d, 2) = ANY ('{${TWO_DIGIT_CC.replaceAll(' ', ',')}}'::text[]) THEN left(d, 2) ELSE left(d, 3) END $$;
CREATE FUNCTION pg_temp.kdb_phone(v text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE d text; cc text := ''; s text;
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  d := regexp_replace(v, '\D', '', 'g');
  IF d = '' THEN RETURN v; END IF;
  IF btrim(v) LIKE '+%' THEN cc := pg_temp.kdb_cc(d); END IF;
  -- Keyed on the last 9 digits: '+1 (555) 123-4567' and '555.123.4567' are one person's number.
  s := translate(encode(pg_temp.kdb_mac('phone', right(d, 9)), 'hex'), 'abcdef', '012345');
  RETURN CASE WHEN cc = '' THEN right(s, length(d)) ELSE '+' || cc || right(s, greatest(length(d) - length(cc), 4)) END;
END $$;
CREATE FUNCTION pg_temp.kdb_name(v text, part text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE h bytea; f text; l text; k text := lower(btrim(v));
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  -- Blanks made single spaces: the name scrub finds in text gets the fake its column got.
  IF k ~ '\s\s|[\t\r\n]' THEN k := regexp_replace(k, '\s+', ' ', 'g'); END IF;
  h := pg_temp.kdb_mac('name', k);
  f := ${pick(FIRST, 'h', 0)};
  l := ${pick(LAST, 'h', 4)};
  RETURN CASE part WHEN 'first' THEN f WHEN 'last' THEN l ELSE f || ' ' || l END;
END $$;
-- A fake name written as the name it replaces: in capitals for one in capitals, as the fake is for
-- one as written, and word by word for one mixed ("Ruth OKAFOR" -> "Karen WILSON"): the last word
-- for the last word, the others in order.
CREATE FUNCTION pg_temp.kdb_case_as(fake text, orig text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE o text[]; f text[]; j int;
BEGIN
  IF orig = upper(orig) THEN RETURN upper(fake); END IF;
  IF orig !~ '[[:upper:]]{2}' THEN RETURN fake; END IF;
  o := regexp_split_to_array(orig, '[ \t]+');
  f := string_to_array(fake, ' ');
  FOR i IN 1 .. cardinality(f) LOOP
    j := CASE WHEN i = cardinality(f) THEN cardinality(o) ELSE least(i, cardinality(o) - 1) END;
    IF o[j] = upper(o[j]) THEN f[i] := upper(f[i]); END IF;
  END LOOP;
  RETURN array_to_string(f, ' ');
END $$;
CREATE FUNCTION pg_temp.kdb_address(v text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE h bytea;
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  h := pg_temp.kdb_mac('address', lower(btrim(v)));
  RETURN (1 + pg_temp.kdb_int(h, 0) % 9899)::text || ' ' || ${pick(STREETS, 'h', 4)} || ' ' || ${pick(KINDS, 'h', 8)} || ', ' || ${pick(CITIES, 'h', 12)};
END $$;
CREATE FUNCTION pg_temp.kdb_hash(v text, dom text, len int, keep int) RETURNS text LANGUAGE sql STABLE AS
$$ SELECT left(v, keep) || substr(encode(pg_temp.kdb_mac(dom, v), 'hex'), 1, len) $$;
-- The hash strategy's fake when it carries its original's fingerprint (see hashCarriesFingerprint):
-- the first ${2 * FP_BYTES} hex digits after the kept prefix are the fingerprint, so the run hashes no
-- original a second time. A value already lower-cased and trimmed takes the rest from the same
-- SHA-256 (one hash instead of an HMAC's two); any other value from a second keyed SHA-256 of the
-- exact value, so that case and space variants, which share the fingerprint, still differ.
-- COLLATE "C": byte equality, also on a column with a case-insensitive collation.
CREATE FUNCTION pg_temp.kdb_hash_fp(v text, len int, keep int) RETURNS text LANGUAGE sql STABLE AS
$$ SELECT left(v, keep) || left(encode(CASE WHEN v = lower(btrim(v)) COLLATE "C" THEN pg_temp.kdb_keyed('v:' || v, ${HASH_FP_MAX_HEX / 2})
  ELSE pg_temp.kdb_keyed('v:' || lower(btrim(v)), ${FP_BYTES}) || pg_temp.kdb_keyed('h:' || v, ${HASH_FP_MAX_HEX / 2 - FP_BYTES}) END, 'hex'), len) $$;
-- A fake address of the same family and prefix length, keyed on the host address: IPv4 in 10/8,
-- IPv6 in the unique-local fd00::/8.
CREATE FUNCTION pg_temp.kdb_ip(v inet) RETURNS inet LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN v IS NULL THEN NULL
  WHEN family(v) = 4 THEN set_masklen(('10.' || get_byte(h, 0) || '.' || get_byte(h, 1) || '.' || get_byte(h, 2))::inet, masklen(v))
  ELSE set_masklen(regexp_replace('fd' || substr(encode(h, 'hex'), 1, 30), '(.{4})(?!$)', '\1:', 'g')::inet, masklen(v)) END
FROM (SELECT pg_temp.kdb_mac('ip', host(v)) AS h) k $$;
-- Text: an address keeps its written form (no /32 added); anything else becomes an IPv4 fake of its text.
CREATE FUNCTION pg_temp.kdb_ip_text(v text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE a inet; h bytea;
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  BEGIN
    a := btrim(v)::inet;
  EXCEPTION WHEN others THEN
    h := pg_temp.kdb_mac('ip', btrim(v));
    RETURN '10.' || get_byte(h, 0) || '.' || get_byte(h, 1) || '.' || get_byte(h, 2);
  END;
  RETURN CASE WHEN position('/' IN v) > 0 THEN text(pg_temp.kdb_ip(a)) ELSE host(pg_temp.kdb_ip(a)) END;
END $$;
CREATE FUNCTION pg_temp.kdb_partial(v text, f int, l int, c text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN length(v) <= f + l THEN repeat(c, length(v)) ELSE left(v, f) || repeat(c, length(v) - f - l) || right(v, l) END $$;
-- enable_seqscan off: the name lookups below are index probes, but on a small names table (1,000
-- names) the planner took a sequential scan for them, run once per text: 220 µs a text against 41.
CREATE FUNCTION pg_temp.kdb_scrub(v text, dom text, names boolean DEFAULT true, ref text DEFAULT NULL, person text DEFAULT NULL) RETURNS text LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
DECLARE m text; r text := v; run text; w text[]; i int; k int; fk bytea; runs text[] := '{}'; words int[] := '{}'; fps bytea[] := '{}'; hits bytea[]; pfps bytea[]; pfakes text[];
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  -- Addresses first: a phone number's digit groups also fit 192.168.100.200, and a fake address
  -- (10.x.y.z) has too few digits to be taken for a phone afterwards. Each replaced where it stands
  -- alone, as IPV4_RE found it: 1.2.3.4 is also inside 11.2.3.45.
  IF v ~ '${IPV4_CORE_RE}' THEN
    FOR m IN SELECT DISTINCT x[1] FROM regexp_matches(v, '${IPV4_RE}', 'g') x LOOP
      r := regexp_replace(r, '${IPV4_BEFORE}' || replace(m, '.', '\.') || '${IPV4_AFTER}', host(pg_temp.kdb_ip(m::inet)), 'g');
    END LOOP;
  END IF;
  IF strpos(r, ':') > 0 AND r ~* '${IPV6_CORE_RE}' THEN
    FOR m IN SELECT DISTINCT x[1] FROM regexp_matches(r, '${IPV6_RE}', 'gi') x WHERE x[1] ~* '${IPV6_CORE_RE}' LOOP
      r := regexp_replace(r, '${IPV6_BEFORE}' || m || '${IPV6_AFTER}', host(pg_temp.kdb_ip(m::inet)), 'g');
    END LOOP;
  END IF;
  FOR m IN SELECT DISTINCT x[1] FROM regexp_matches(r, '${EMAIL_RE}', 'g') x LOOP
    r := replace(r, m, pg_temp.kdb_email(m, dom));
  END LOOP;
  FOR m IN SELECT DISTINCT x[1] FROM regexp_matches(r, '${PHONE_RE}', 'g') x LOOP
    IF length(regexp_replace(m, '\D', '', 'g')) >= 9 THEN r := replace(r, m, pg_temp.kdb_phone(m)); END IF;
  END LOOP;
  -- The person the text is about (names_of): each word of their masked names, wherever it stands
  -- as a word, by the fake their row got (first name for first name: "Hi Ruth," too).
  IF person IS NOT NULL AND r ~ '[[:upper:]]' THEN
    SELECT array_agg(p.fp), array_agg(p.fake) INTO pfps, pfakes FROM ${PERSON_NAMES_TABLE} p WHERE p.ref = kdb_scrub.ref AND p.key = person;
    IF pfps IS NOT NULL THEN
      fk := decode(current_setting('koinonia.fk'), 'hex') || convert_to('v:', 'UTF8');
      FOR m IN SELECT DISTINCT x[1] FROM regexp_matches(r, '\m(${PERSON_WORD})\M', 'g') x LOOP
        i := array_position(pfps, substr(sha256(fk || convert_to(lower(m), 'UTF8')), 1, ${FP_BYTES}));
        -- A name in capitals gets its fake in capitals.
        IF i IS NOT NULL THEN r := regexp_replace(r, '\m' || m || '\M', CASE WHEN m = upper(m) THEN upper(pfakes[i]) ELSE pfakes[i] END, 'g'); END IF;
      END LOOP;
    END IF;
  END IF;
  -- Street lines an address column held (STREET_FPS_TABLE): the longest start of each run that
  -- is one, by the street line of its fake, as whole words.
  IF current_setting('koinonia.streets', true) = 'on' AND r ~ '${STREET_RUN_CORE_RE}' THEN
    fk := decode(current_setting('koinonia.fk'), 'hex') || convert_to('v:', 'UTF8');
    FOR run IN SELECT x[1] FROM regexp_matches(r, '${STREET_RUN_RE}', 'g') x LOOP
      w := regexp_split_to_array(run, '[ \t]+');
      FOR k IN REVERSE cardinality(w) .. 2 LOOP
        m := array_to_string(w[1:k], ' ');
        runs := runs || m;
        fps := fps || substr(sha256(fk || convert_to(lower(m), 'UTF8')), 1, ${FP_BYTES});
      END LOOP;
    END LOOP;
    IF cardinality(fps) > 0 AND EXISTS (SELECT FROM ${STREET_FPS_TABLE} f WHERE f.fp = ANY (fps)) THEN
      SELECT array_agg(f.fp), array_agg(f.fake) INTO hits, pfakes FROM ${STREET_FPS_TABLE} f WHERE f.fp = ANY (fps);
      FOR i IN 1 .. cardinality(runs) LOOP
        k := array_position(hits, fps[i]);
        IF k IS NOT NULL THEN r := regexp_replace(r, '\m' || replace(runs[i], ' ', '[ \t]+') || '\M', pfakes[k], 'g'); END IF;
      END LOOP;
    END IF;
    -- The name pass below gathers its runs in the same arrays.
    runs := '{}'; fps := '{}';
  END IF;
  -- Full names a masked name column held (NAME_FPS_TABLE, filled before any table is masked):
  -- each replaced by the name strategy's fake of that full name, where it stands as whole words.
  -- The runs of two and three words as nameRunsSql makes them and their fingerprints, in loops of
  -- simple expressions: a query per run, or one query doing it all, costs several times as much.
  IF names AND current_setting('koinonia.names', true) = 'on' AND r ~ '${NAME_RUN_CORE_RE}' THEN
    fk := decode(current_setting('koinonia.fk'), 'hex') || convert_to('v:', 'UTF8');
    FOR run IN SELECT x[1] FROM regexp_matches(r, '${NAME_RUN_RE}', 'g') x LOOP
      w := regexp_split_to_array(run, '[ \t]+');
      FOR i IN 1 .. cardinality(w) - 1 LOOP
        FOR k IN 1 .. least(2, cardinality(w) - i) LOOP
          m := array_to_string(w[i:i + k], ' ');
          runs := runs || m;
          words := words || (k + 1);
          fps := fps || substr(sha256(fk || convert_to(lower(m), 'UTF8')), 1, ${FP_BYTES});
        END LOOP;
      END LOOP;
    END LOOP;
    -- An index probe for all of them: most texts hold no masked name, and a query that also
    -- collects the names found costs more; that one runs only after a hit.
    IF cardinality(fps) > 0 AND EXISTS (SELECT FROM ${NAME_FPS_TABLE} f WHERE f.fp = ANY (fps)) THEN
      SELECT array_agg(f.fp) INTO hits FROM ${NAME_FPS_TABLE} f WHERE f.fp = ANY (fps);
      -- Three-word runs first: a masked "Mary Ann Smith" goes whole, before a masked "Ann Smith" inside it.
      FOR k IN REVERSE 2 .. 1 LOOP
        FOR i IN 1 .. cardinality(runs) LOOP
          IF words[i] = k + 1 AND fps[i] = ANY (hits) THEN
            r := regexp_replace(r, '\m' || replace(runs[i], ' ', '[ \t]+') || '\M', pg_temp.kdb_case_as(pg_temp.kdb_name(runs[i], 'full'), runs[i]), 'g');
          END IF;
        END LOOP;
      END LOOP;
    END IF;
  END IF;
  RETURN r;
END $$;
CREATE FUNCTION pg_temp.kdb_json_leaf(doc jsonb, strat text, dom text) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE t text;
BEGIN
  IF jsonb_typeof(doc) IN ('object', 'array') THEN
    IF jsonb_typeof(doc) = 'object' THEN
      RETURN coalesce((SELECT jsonb_object_agg(k, pg_temp.kdb_json_leaf(e, strat, dom)) FROM jsonb_each(doc) x(k, e)), '{}');
    END IF;
    RETURN coalesce((SELECT jsonb_agg(pg_temp.kdb_json_leaf(e, strat, dom) ORDER BY n) FROM jsonb_array_elements(doc) WITH ORDINALITY x(e, n)), '[]');
  END IF;
  IF jsonb_typeof(doc) NOT IN ('string', 'number') THEN RETURN doc; END IF;
  IF strat = 'null' THEN RETURN 'null'; END IF;
  t := doc #>> '{}';
  RETURN to_jsonb(CASE strat
    WHEN 'email' THEN pg_temp.kdb_email(t, dom) WHEN 'phone' THEN pg_temp.kdb_phone(t)
    WHEN 'name' THEN pg_temp.kdb_name(t, 'full') WHEN 'address' THEN pg_temp.kdb_address(t)
    WHEN 'hash' THEN pg_temp.kdb_hash_fp(t, 32, 0) WHEN 'scrub' THEN pg_temp.kdb_scrub(t, dom)
    WHEN 'ip' THEN pg_temp.kdb_ip_text(t)
    ELSE pg_temp.kdb_partial(t, 0, 4, 'X') END);
END $$;
CREATE FUNCTION pg_temp.kdb_json(doc jsonb, p text[], act text, strat text, val jsonb, dom text) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE head text := p[1]; rest text[] := p[2:]; last boolean := cardinality(p) = 1;
BEGIN
  IF doc IS NULL THEN RETURN NULL; END IF;
  IF cardinality(p) = 0 THEN
    RETURN CASE WHEN act = 'set' THEN val ELSE pg_temp.kdb_json_leaf(doc, strat, dom) END;
  END IF;
  IF head = '*' THEN
    IF jsonb_typeof(doc) <> 'array' THEN RETURN doc; END IF;
    IF last AND act = 'delete' THEN RETURN '[]'; END IF;
    RETURN coalesce((SELECT jsonb_agg(pg_temp.kdb_json(e, rest, act, strat, val, dom) ORDER BY n) FROM jsonb_array_elements(doc) WITH ORDINALITY x(e, n)), '[]');
  END IF;
  IF jsonb_typeof(doc) = 'object' AND doc ? head THEN
    IF last AND act = 'delete' THEN RETURN doc - head; END IF;
    RETURN jsonb_set(doc, ARRAY[head], pg_temp.kdb_json(doc -> head, rest, act, strat, val, dom));
  END IF;
  IF jsonb_typeof(doc) = 'array' AND head ~ '^\d+$' AND head::int < jsonb_array_length(doc) THEN
    IF last AND act = 'delete' THEN RETURN doc - head::int; END IF;
    RETURN jsonb_set(doc, ARRAY[head], pg_temp.kdb_json(doc -> head::int, rest, act, strat, val, dom));
  END IF;
  RETURN doc;
END $$;
CREATE FUNCTION pg_temp.kdb_tokens(v text) RETURNS SETOF text LANGUAGE sql STABLE AS $$
  SELECT DISTINCT t FROM (${tokensSql('v')}) s(t)
$$;
-- Whole values are fingerprinted without the length tests of kdb_tokens: a fingerprint of a value
-- shorter than any token can never match one, and each function inlines to one expression per row.
-- The key arrives with the token's prefix appended (fingerprintKeySql, an InitPlan evaluated once
-- per statement): the same bytes hashed, one concatenation per value less. Both are PARALLEL SAFE
-- (pure, key as an argument) so the fingerprint statement can run in parallel workers.
CREATE FUNCTION pg_temp.kdb_fp_value_k(kv bytea, v text) RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT substr(sha256(kv || convert_to(lower(btrim(v)), 'UTF8')), 1, ${FP_BYTES}) $$;
-- The digits of a value made only of digits and the usual separators are those separators
-- removed: six plain replaces behind one regex test cost less than half of kdb_digits' two
-- translates, and give the same digits (anything else takes kdb_digits).
CREATE FUNCTION pg_temp.kdb_fp_phone_k(kt bytea, v text) RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT substr(sha256(kt || convert_to(right(CASE WHEN v !~ '[^0-9 ()+.-]'
  THEN replace(replace(replace(replace(replace(replace(v, ' ', ''), '(', ''), ')', ''), '+', ''), '.', ''), '-', '')
  ELSE pg_temp.kdb_digits(v) END, 9), 'UTF8')), 1, ${FP_BYTES}) $$;
CREATE FUNCTION pg_temp.kdb_fps(v text) RETURNS SETOF bytea LANGUAGE sql STABLE AS
$$ SELECT pg_temp.kdb_fp(t) FROM pg_temp.kdb_tokens(v) t $$;
CREATE FUNCTION pg_temp.kdb_inner_fps(v text) RETURNS SETOF bytea LANGUAGE sql STABLE AS
$$ SELECT DISTINCT pg_temp.kdb_fp(t) FROM (${tokensSql('v', { whole: false })}) s(t) $$;
`

/**
 * The fingerprint key, followed by a token prefix (`v:`, `tel:`) if given, as an InitPlan: decoded
 * once per statement, for kdb_fp_k / kdb_fp_value_k / kdb_fp_phone_k.
 */
export function fingerprintKeySql(prefix?: 'v:' | 'tel:'): string {
  const key = `decode(current_setting('koinonia.fk'), 'hex')`
  return `(SELECT ${prefix ? `${key} || convert_to('${prefix}', 'UTF8')` : key})`
}

/**
 * Prepares a session for masking or scanning: key pads as session settings (bind parameters, so
 * the key never appears in SQL text), then the pg_temp helpers.
 */
export async function prepareSession(client: pg.Client, key: SanitizeKey): Promise<void> {
  // With log_statement = all the server would log bind parameters too; a superuser session turns
  // that off for this one statement (others cannot, and the pads are derived, never the secret).
  const quiet = await client.query("SELECT set_config('log_parameter_max_length', '0', false), set_config('log_statement', 'none', false)").then(() => true, () => false)
  await client.query(
    `SELECT set_config('koinonia.mi', $1, false), set_config('koinonia.mo', $2, false), set_config('koinonia.fk', $3, false)`,
    [key.pads.mi, key.pads.mo, key.pads.fk],
  )
  if (quiet) await client.query('RESET log_parameter_max_length; RESET log_statement')
  // scrub looks for masked full names and street lines only when there are some (a run fills the tables first).
  for (const [setting, table] of [['koinonia.names', NAME_FPS_TABLE], ['koinonia.streets', STREET_FPS_TABLE]]) {
    const some = (await tableExists(client, table)) && (await client.query(`SELECT EXISTS (SELECT FROM ${table}) AS ok`)).rows[0].ok
    await client.query('SELECT set_config($1, $2, false)', [setting, some ? 'on' : 'off'])
  }
  // A killed client then ends its statement within a second (and rolls back) instead of finishing a
  // rewrite nobody will commit. The setting exists from Postgres 14 on.
  await client.query("SELECT set_config('client_connection_check_interval', '1s', false)").catch(() => undefined)
  await client.query(FUNCTIONS)
}
