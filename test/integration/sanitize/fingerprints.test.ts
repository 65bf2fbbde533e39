import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runSanitize } from '../../../src/sanitize/run.js'
import { scanForLeaks } from '../../../src/sanitize/scan.js'
import { fingerprintsReadBack, withParallelPlans } from '../../../src/sanitize/mask-table.js'
import { fingerprintInNode, resolveKey } from '../../../src/sanitize/key.js'
import { fingerprintKeySql, prepareSession } from '../../../src/sanitize/sql-functions.js'
import type { PlannedColumn } from '../../../src/sanitize/plan.js'
import type { SanitizeRulesConfig } from '../../../src/sanitize/types.js'
import { connect } from '../../helpers/pg.js'
import { CHURCH_RULES, TEST_KEY, churchServer } from './church-dataset.js'

const server = churchServer()

const env = { KOINONIA_SANITIZE_KEY: TEST_KEY }
const leak = (table: string, column: string, key: string) => ({ table, column, key, kind: 'original-value' })

describe('leak scan fingerprints', () => {
  it('finds originals of every fingerprint source planted where no PII pattern looks', async () => {
    const url = await server().createDatabase('planted', { template: 'church' })
    {
      await using client = await connect(url)
      // A name (fingerprinted from the original) in a kept column: no pattern matches a name.
      await client.query(`UPDATE churches SET city = (SELECT full_name FROM users WHERE id = 4) WHERE id = 2`)
      // JSON keys outside the rule paths of a masked column: only fingerprints are searched there.
      // users.email: the scan reads its fingerprints from the fakes (rewrite); contacts.email the same
      // after an UPDATE (a view pins it); a phone in another format; a hash-masked provider id.
      const plant = (id: number, key: string, value: string) =>
        client.query(`UPDATE messages SET metadata = jsonb_set(coalesce(metadata, '{}'), ARRAY[$1], to_jsonb((${value})::text)) WHERE id = $2`, [key, id])
      await plant(10, 'note', `SELECT '  ' || upper(email) || ' ' FROM users WHERE id = 6`)
      await plant(11, 'cc', 'SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY id LIMIT 1')
      await plant(12, 'callback', `SELECT regexp_replace(phone, '\\D', '', 'g') FROM contacts WHERE id = 8`)
      await plant(13, 'account', 'SELECT twilio_account_sid FROM churches WHERE twilio_account_sid IS NOT NULL ORDER BY id LIMIT 1')
      const planted = await client.query(`SELECT concat_ws('|', metadata ->> 'note', metadata ->> 'cc', metadata ->> 'callback', metadata ->> 'account') AS v FROM messages WHERE id BETWEEN 10 AND 13 ORDER BY id`)
      expect(planted.rows.map((r) => r.v.length > 8)).toEqual([true, true, true, true])
    }
    const report = await runSanitize({ target: url, rules: CHURCH_RULES, env, jobs: 2 })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    expect(report.ok).toBe(false)
    const expected = [
      leak('public.churches', 'city', 'id=2'),
      leak('public.messages', 'metadata', 'id=10'),
      leak('public.messages', 'metadata', 'id=11'),
      leak('public.messages', 'metadata', 'id=12'),
      leak('public.messages', 'metadata', 'id=13'),
    ]
    expect(report.leaks).toEqual(expect.arrayContaining(expected))
    expect(report.leaks.filter((l) => l.kind === 'original-value')).toHaveLength(expected.length)
    // `sanitize scan` later, with the same key, gathers the same fingerprints and finds the same rows.
    const again = await scanForLeaks({ target: url, rules: CHURCH_RULES, env })
    expect(again.summary.fingerprints).toBe(report.scan.fingerprints)
    expect(again.leaks).toEqual(expect.arrayContaining(expected))
  })

  it('an email column too narrow for the whole fake is fingerprinted from its originals', async () => {
    const column = (sqlType: string, domain?: string) => ({ strategy: 'email', sqlType, params: domain ? { domain } : {} }) as unknown as PlannedColumn
    expect(fingerprintsReadBack(column('character varying(30)'))).toBe(false)
    expect(fingerprintsReadBack(column('character varying(37)'))).toBe(true)
    expect(fingerprintsReadBack(column('character varying(37)', 'staging.example.org'))).toBe(false)
    expect(fingerprintsReadBack(column('text'))).toBe(true)
    const url = await server().createDatabase('narrow')
    {
      await using client = await connect(url)
      // The fake (37 characters) is cut to 24 here, so it cannot carry the fingerprint; a copy of
      // the original sits in another table's kept column.
      await client.query(`CREATE TABLE members (id int PRIMARY KEY, email varchar(24) UNIQUE, note text);
        INSERT INTO members VALUES (1, 'ruth.okafor@church.org', 'call me'), (2, 'silas@church.org', NULL);
        CREATE TABLE audit (id int PRIMARY KEY, actor text);
        INSERT INTO audit VALUES (7, 'Ruth.Okafor@church.org')`)
    }
    const rules = { version: 1 as const, tables: { members: { id: 'keep', email: 'email', note: 'scrub' }, audit: 'keep' as const } }
    const report = await runSanitize({ target: url, rules, env })
    expect(report.tables.find((t) => t.name === 'public.members')!.status).toBe('masked')
    await using client = await connect(url)
    expect((await client.query('SELECT email FROM members WHERE id = 1')).rows[0].email).toMatch(/^user_[0-9a-f]{19}$/)
    expect(report.leaks).toEqual(expect.arrayContaining([leak('public.audit', 'actor', 'id=7')]))
  })

  it('a hash fake carries its original\'s fingerprint: an api token planted in another table is found, also from a type too narrow to read back', async () => {
    const column = (sqlType: string, params: Record<string, unknown> = {}) => ({ strategy: 'hash', sqlType, params }) as unknown as PlannedColumn
    expect(fingerprintsReadBack(column('text', { keep_prefix: 8 }))).toBe(true)
    expect(fingerprintsReadBack(column('character varying(40)', { keep_prefix: 8 }))).toBe(true)
    expect(fingerprintsReadBack(column('character varying(39)', { keep_prefix: 8 }))).toBe(false)
    expect(fingerprintsReadBack(column('character(40)', { keep_prefix: 8 }))).toBe(false)
    expect(fingerprintsReadBack(column('text', { domain: 'twilio' }))).toBe(false)
    expect(fingerprintsReadBack(column('text', { length: 24 }))).toBe(false)
    expect(fingerprintsReadBack(column('text', { length: 64 }))).toBe(false)
    expect(fingerprintsReadBack(column('uuid'))).toBe(false)
    const url = await server().createDatabase('tokens', { template: 'church' })
    {
      await using client = await connect(url)
      // users.api_token (text, default domain): read back from the fakes. keys.secret (char(40),
      // blank-padded, so not read back): fingerprinted from the originals.
      await client.query(`CREATE TABLE keys (id int PRIMARY KEY, secret char(40));
        INSERT INTO keys VALUES (1, 'rk_live_Zq81xKpW33'), (2, NULL);
        CREATE TABLE notes (id int PRIMARY KEY, body text);
        INSERT INTO notes SELECT 1, upper(api_token) FROM users WHERE api_token IS NOT NULL ORDER BY id LIMIT 1;
        INSERT INTO notes VALUES (2, 'rk_live_Zq81xKpW33'), (3, 'nothing to see')`)
    }
    const church = parse(readFileSync(CHURCH_RULES, 'utf8')) as SanitizeRulesConfig
    const rules = { ...church, tables: { ...church.tables, keys: { id: 'keep', secret: { strategy: 'hash', keep_prefix: 3 } }, notes: 'keep' as const } }
    const report = await runSanitize({ target: url, rules, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    const found = report.leaks.filter((l) => l.kind === 'original-value').sort((a, b) => a.key.localeCompare(b.key))
    expect(found).toEqual([leak('public.notes', 'body', 'id=1'), leak('public.notes', 'body', 'id=2')])
    await using client = await connect(url)
    const listed = await client.query('SELECT table_name, column_name, hex_tail FROM koinonia_sanitize.fingerprint_columns ORDER BY 1, 2')
    expect(listed.rows).toContainEqual({ table_name: 'public.users', column_name: 'api_token', hex_tail: 32 })
    expect(listed.rows.map((r) => r.table_name)).not.toContain('public.keys')
  })

  it('an IP address inside free text is found: a masked login address in a kept log line, an address a scrubbed note held', async () => {
    const url = await server().createDatabase('addresses')
    {
      await using client = await connect(url)
      await client.query(`CREATE TABLE logins (id int PRIMARY KEY, ip inet NOT NULL);
        INSERT INTO logins VALUES (1, '203.0.113.7'), (2, '198.51.100.9'), (3, '2001:db8::42'), (4, '::ffff:192.0.2.201');
        CREATE TABLE notes (id int PRIMARY KEY, body text);
        INSERT INTO notes VALUES (1, 'Called back from 192.0.2.44 about the invoice.');
        CREATE TABLE audit (id int PRIMARY KEY, line text);
        INSERT INTO audit VALUES (1, 'user 12 logged in from 203.0.113.7.'), (2, 'deploy 11.203.0.113.75 from 10.0.0.1'),
          (3, '192.0.2.44 asked again'), (4, 'v1.203.0.113.7.2 released'),
          (5, 'GET / from 2001:DB8:0000:0000:0000:0000:0000:0042 200'), (6, 'std::vector at 12:30:45 from ::1'),
          (7, 'client 192.0.2.201 (::ffff:192.0.2.201 on the dual-stack socket)')`)
    }
    const rules = { version: 1 as const, tables: { logins: { id: 'keep', ip: 'ip' }, notes: { id: 'keep', body: 'scrub' }, audit: 'keep' as const } }
    const report = await runSanitize({ target: url, rules, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    const found = report.leaks.filter((l) => l.kind === 'original-value').sort((a, b) => a.key.localeCompare(b.key))
    // Not the address inside a longer dotted number, nor an address no masked column held.
    // An IPv4 client a dual-stack server saw as ::ffff:192.0.2.201 is found by its IPv4 address too.
    expect(found).toEqual([leak('public.audit', 'line', 'id=1'), leak('public.audit', 'line', 'id=3'), leak('public.audit', 'line', 'id=5'), leak('public.audit', 'line', 'id=7')])
    await using client = await connect(url)
    expect((await client.query('SELECT body FROM notes')).rows[0].body).toMatch(/^Called back from 10\.\d+\.\d+\.\d+ about the invoice\.$/)
  })

  it('a full name inside free text is found: a masked full name or first and last name in a kept note, not other capitalised words', async () => {
    const url = await server().createDatabase('names')
    {
      await using client = await connect(url)
      await client.query(`CREATE TABLE people (id int PRIMARY KEY, full_name text, first text, last text);
        INSERT INTO people VALUES (1, 'Ruth Okafor', 'Ann', 'Lee'), (2, 'Grace', 'Seamus', 'O''Brien');
        CREATE TABLE notes (id int PRIMARY KEY, body text);
        INSERT INTO notes VALUES (1, 'Dear Ruth Okafor, thanks.'), (2, 'Met Seamus O''Brien at	Grace Church'), (3, 'Ann Lee'),
          (4, 'Ruth and Okafor, Grace Church, Ann Smith'), (5, 'RUTH OKAFOR'), (6, 'Dear Ruth
Okafor'), (7, 'SIGNED: RUTH OKAFOR, USA TODAY'), (8, 'GRACE CHURCH, NEW YORK'), (9, 'Register: Ann LEE'), (10, 'Grace CHURCH')`)
    }
    const rules = { version: 1 as const, tables: { people: { id: 'keep', full_name: 'name', first: { strategy: 'name', part: 'first' }, last: { strategy: 'name', part: 'last' } }, notes: 'keep' as const } }
    const report = await runSanitize({ target: url, rules, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    const found = report.leaks.filter((l) => l.kind === 'original-value').sort((a, b) => a.key.localeCompare(b.key))
    // Inside a sentence, from a first and a last name column, a whole value (id=3), a name in
    // capitals, whole (id=5) or inside a text (id=7), a surname in capitals (id=9); not words
    // apart, nor across a line break, nor capitals no masked name column held (id=8, id=10).
    expect(found).toEqual(['id=1', 'id=2', 'id=3', 'id=5', 'id=7', 'id=9'].map((k) => leak('public.notes', 'body', k)))
  })

  it('a street line inside free text is found: the street of a masked address in a kept note, not another street', async () => {
    const url = await server().createDatabase('streets')
    {
      await using client = await connect(url)
      await client.query(`CREATE TABLE homes (id int PRIMARY KEY, address text NOT NULL);
        INSERT INTO homes VALUES (1, '12 Oak Street, Springfield, IL 62701'), (2, '4 Privet Drive');
        CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);
        INSERT INTO notes VALUES (1, 'Delivered to 12 Oak Street this morning'), (2, 'Meet at 4 Privet Drive Little Whinging'),
          (3, 'Moved from 12 Oak Avenue to 13 Oak Street'), (4, '12 oak street, lower case')`)
    }
    const rules = { version: 1 as const, tables: { homes: { id: 'keep', address: 'address' }, notes: 'keep' as const } }
    const report = await runSanitize({ target: url, rules, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    const found = report.leaks.filter((l) => l.kind === 'original-value').sort((a, b) => a.key.localeCompare(b.key))
    expect(found).toEqual([leak('public.notes', 'body', 'id=1'), leak('public.notes', 'body', 'id=2')])
  })

  it('a fake name equal to a real customer\'s is no leak where a mask wrote it, and still one in a kept column', async () => {
    const url = await server().createDatabase('common_names')
    const firsts = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth']
    const lasts = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez']
    {
      await using client = await connect(url)
      // 2,000 people with the commonest names (those the name strategy's fakes are made of), a note
      // greeting each of them, and one kept line that names one of them.
      await client.query(`CREATE TABLE people (id int PRIMARY KEY, full_name text NOT NULL, first text, last text);
        INSERT INTO people SELECT g, f || ' ' || l, f, l FROM (SELECT g, ($1::text[])[1 + g % 10] AS f, ($2::text[])[1 + g / 10 % 10] AS l FROM generate_series(1, 2000) g) x;
        CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, kept text);
        INSERT INTO notes SELECT id, 'Dear ' || full_name || ', thanks.', CASE WHEN id = 7 THEN 'call ' || full_name END FROM people;`.replaceAll('$1', `'{${firsts}}'`).replaceAll('$2', `'{${lasts}}'`))
    }
    const rules = { version: 1 as const, tables: {
      people: { id: 'keep', full_name: 'name', first: { strategy: 'name', part: 'first' }, last: { strategy: 'name', part: 'last' } },
      notes: { id: 'keep', body: 'scrub', kept: 'keep' },
    } }
    const report = await runSanitize({ target: url, rules, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    // Every fake is one of these names, and each equals some customer's: none is reported, but the
    // real name left in the kept column is.
    expect(report.leaks).toEqual([leak('public.notes', 'kept', 'id=7')])
    await using client = await connect(url)
    const { rows } = await client.query(`SELECT count(*) FILTER (WHERE body ~ '^Dear [A-Z][a-z]+ [A-Z][a-z]+, thanks\\.$') AS greeted, count(*) AS n FROM notes`)
    expect(rows[0]).toEqual({ greeted: '2000', n: '2000' })
  })

  it('a fake IP address equal to a real private one is no leak where the ip mask (text or inet) or scrub wrote it', async () => {
    const url = await server().createDatabase('private_ips')
    {
      await using client = await connect(url)
      // Every address of 10.0.0.0/16 as text: one fake in 256 lands there, on some other row's original.
      await client.query(`CREATE TABLE hosts (id int PRIMARY KEY, addr text NOT NULL, log text NOT NULL, host inet NOT NULL);
        INSERT INTO hosts SELECT g, a, 'login from ' || a || ' ok', a::inet FROM (SELECT g, '10.0.' || (g >> 8) || '.' || (g & 255) AS a FROM generate_series(0, 65535) g) x`)
    }
    // Also in an inet column, and in scrubbed text, where scrub writes the same fakes.
    const report = await runSanitize({ target: url, rules: { version: 1, tables: { hosts: { id: 'keep', addr: 'ip', log: 'scrub', host: 'ip' } } }, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    expect(report.leaks).toEqual([])
    await using client = await connect(url)
    // The premise: fakes that equal other rows' originals are there.
    expect(Number((await client.query(`SELECT count(*) AS n FROM hosts WHERE addr LIKE '10.0.%' AND log LIKE 'login from 10.0.%' AND host << '10.0.0.0/16'`)).rows[0].n)).toBeGreaterThan(100)
  })

  it('a fake phone number whose last 9 digits are a real one\'s is no leak where the phone mask or scrub wrote it', async () => {
    const url = await server().createDatabase('dense_phones')
    {
      await using client = await connect(url)
      // 100,000 numbers of one exchange: about one fake in 10,000 ends in one of them.
      await client.query(`CREATE TABLE contacts (id int PRIMARY KEY, phone text NOT NULL, note text NOT NULL, kept text);
        INSERT INTO contacts SELECT g, '+1 512 5' || lpad(g::text, 6, '0'), 'call me at +1 512 5' || lpad(g::text, 6, '0'), CASE WHEN g = 7 THEN 'old number 512-500-0008' END
        FROM generate_series(0, 99999) g`)
    }
    const report = await runSanitize({ target: url, rules: { version: 1, tables: { contacts: { id: 'keep', phone: 'phone', note: 'scrub', kept: 'keep' } } }, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    // Only the real number left in the kept column.
    expect(report.leaks.filter((l) => l.kind === 'original-value')).toEqual([leak('public.contacts', 'kept', 'id=7')])
    await using client = await connect(url)
    // The premise: fakes that end in other rows' numbers are there, in the column and in the notes.
    const { rows } = await client.query(`SELECT count(*) FILTER (WHERE right(phone, 9) BETWEEN '512500000' AND '512599999') AS col,
      count(*) FILTER (WHERE right(note, 9) BETWEEN '512500000' AND '512599999') AS note FROM contacts`)
    expect(Number(rows[0].col) + Number(rows[0].note)).toBeGreaterThan(10)
  })

  it('a fake street address equal to a real one is no leak where the address mask wrote it', async () => {
    const url = await server().createDatabase('fake_addresses')
    {
      await using client = await connect(url)
      await prepareSession(client, resolveKey(env))
      // Originals that are the fakes of the other rows' originals: every fake equals some row's original.
      await client.query(`CREATE TABLE homes (id int PRIMARY KEY, address text NOT NULL);
        INSERT INTO homes SELECT g, 'Old Farm ' || g FROM generate_series(1, 100) g;
        INSERT INTO homes SELECT 100 + g, pg_temp.kdb_address('Old Farm ' || g) FROM generate_series(1, 100) g`)
    }
    const report = await runSanitize({ target: url, rules: { version: 1, tables: { homes: { id: 'keep', address: 'address' } } }, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    expect(report.leaks).toEqual([])
  })

  it('a kept column marked scan: false (with a reason) is not searched; without a reason the rule is refused', async () => {
    const url = await server().createDatabase('unscanned')
    {
      await using client = await connect(url)
      // A customer who shares a name with a book's author, and a support line kept by mistake.
      await client.query(`CREATE TABLE people (id int PRIMARY KEY, full_name text NOT NULL);
        INSERT INTO people VALUES (1, 'Toni Morrison');
        CREATE TABLE books (id int PRIMARY KEY, author text NOT NULL, blurb text NOT NULL);
        INSERT INTO books VALUES (1, 'Toni Morrison', 'Call Toni Morrison at +1 512 555 0199')`)
    }
    const tables = { people: { id: 'keep', full_name: 'name' }, books: { id: 'keep', author: { strategy: 'keep', scan: false, reason: 'authors are public' }, blurb: 'keep' } }
    const report = await runSanitize({ target: url, rules: { version: 1, tables }, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    // The author column is not searched; the other kept column still is, for fingerprints and patterns.
    expect(report.leaks.map((l) => `${l.column}:${l.kind}`).sort()).toEqual(['blurb:original-value', 'blurb:pattern:phone'])
    await expect(runSanitize({ target: url, env, rules: { version: 1, tables: { ...tables, books: { ...tables.books, author: { strategy: 'keep', scan: false } } } } }))
      .rejects.toThrow(/scan: false needs a reason/)
  })

  it('a scrubbed text scrub found nothing in is no leak; the PII a scrubbed text held is found where it was copied', async () => {
    const url = await server().createDatabase('scrubbed')
    {
      await using client = await connect(url)
      await client.query(`CREATE TABLE notes (id int PRIMARY KEY, body text, doc jsonb);
        INSERT INTO notes VALUES (1, 'Nothing personal here', '{"note": "Nothing personal either"}'), (2, 'Call 512 555 0199 now', '{"note": "or mail ann@example.org"}'),
          (3, 'ann@example.org', '{"note": "192.0.2.44"}');
        CREATE TABLE copies (id int PRIMARY KEY, line text);
        INSERT INTO copies VALUES (1, 'Nothing personal here'), (2, 'Nothing personal either'), (3, 'reach me at 512-555-0199'), (4, 'login 192.0.2.44'), (5, 'ANN@example.org')`)
    }
    const rules = { version: 1 as const, tables: { notes: { id: 'keep', body: 'scrub', doc: { strategy: 'jsonb', paths: [{ path: 'note', action: 'mask', strategy: 'scrub' }] } }, copies: 'keep' as const } }
    const report = await runSanitize({ target: url, rules, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    // Not the scrubbed texts that stayed as they were (notes id=1), nor their copies (copies id=1, 2):
    // the PII inside a scrubbed text is what its original is searched by, a whole address included.
    const found = report.leaks.filter((l) => l.kind === 'original-value').sort((a, b) => a.key.localeCompare(b.key))
    expect(found).toEqual(['id=3', 'id=4', 'id=5'].map((k) => leak('public.copies', 'line', k)))
  })

  it('phone fingerprints: the fast path for separator-only values gives the digits kdb_digits gives', async () => {
    await using client = await connect(server().urlFor('church'))
    await prepareSession(client, resolveKey(env))
    const values = ['+1 (512) 555-0100', '555.123.4567', '٣٤٥ 123 456 789', '+44 20 7946 0958 ext. 12', '12-34', '', 'abc', '+1 (512)\t555-0100', '1 2 3 4 5 6 7 8 9 0 1', '(((+)))..--', '+1 512 555 0199', '0044-20-7946-0958']
    const { rows } = await client.query(`SELECT p, encode(pg_temp.kdb_fp_phone_k(${fingerprintKeySql('tel:')}, p), 'hex') AS fast, encode(pg_temp.kdb_fp('tel:' || right(pg_temp.kdb_digits(p), 9)), 'hex') AS slow FROM unnest($1::text[]) p`, [values])
    expect(rows).toHaveLength(values.length)
    for (const r of rows) expect(r.fast, r.p).toBe(r.slow)
    expect(rows[0].fast).toBe(fingerprintInNode(resolveKey(env), 'tel:125550100').toString('hex'))
  })

  it('fingerprints computed by parallel workers are the ones a serial pass computes, and the planner costs come back after', async () => {
    const tables = 'SELECT string_agg(tablename, \',\' ORDER BY tablename) AS t FROM pg_tables WHERE schemaname = \'koinonia_sanitize\' AND tablename LIKE \'fp\\_%\''
    const fingerprints = async (name: string, options: string) => {
      await server().createDatabase(name, { template: 'church' })
      const url = `${server().urlFor(name)}?options=${encodeURIComponent(options)}`
      const report = await runSanitize({ target: url, rules: CHURCH_RULES, env, noScan: true })
      expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
      await using client = await connect(server().urlFor(name))
      const names = ((await client.query(tables)).rows[0].t as string).split(',')
      const all = []
      for (const n of names) {
        // fp_<oid>: the oids differ per database, so each table is named by what it fingerprints.
        const oid = Number(n.slice(3))
        const { rows } = await client.query(`SELECT $1::oid::regclass::text AS rel, encode(fp, 'hex') AS fp FROM koinonia_sanitize.${n} ORDER BY fp`, [oid])
        all.push(...rows.map((r) => `${r.rel}:${r.fp}`))
      }
      return all.sort()
    }
    // Workers only (the leader does not run the plan itself), on tables of any size.
    const parallel = await fingerprints('parallel', '-c min_parallel_table_scan_size=0 -c parallel_leader_participation=off')
    const serial = await fingerprints('serial', '-c max_parallel_workers_per_gather=0')
    expect(parallel.length).toBeGreaterThan(1000)
    expect(parallel).toEqual(serial)

    await using client = await connect(server().urlFor('church'))
    await prepareSession(client, resolveKey(env))
    await client.query("BEGIN; SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL parallel_tuple_cost = 0.3")
    const explain = (sql: string) => client.query(`EXPLAIN ${sql}`).then((r) => r.rows.map((x) => x['QUERY PLAN']).join('\n'))
    const statement = `CREATE TABLE fpx AS SELECT pg_temp.kdb_fp_phone_k(${fingerprintKeySql('tel:')}, phone) || pg_temp.kdb_fp_value_k(${fingerprintKeySql('v:')}, first_name) FROM contacts`
    expect(await explain(statement)).not.toMatch(/Gather/)
    expect(await withParallelPlans(client, () => explain(statement))).toMatch(/Gather/)
    const costs = await client.query(`SELECT current_setting('parallel_setup_cost') AS setup, current_setting('parallel_tuple_cost') AS tuple`)
    expect(costs.rows[0]).toEqual({ setup: '1000', tuple: '0.3' })
    await client.query('ROLLBACK')
  })

  it('with the default unique check, a collision found only at COMMIT (deferred constraint, UPDATE path) names the rows', async () => {
    const url = await server().createDatabase('deferred')
    {
      await using client = await connect(url)
      await client.query(`CREATE TABLE d (id int PRIMARY KEY, email text, CONSTRAINT d_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED);
        CREATE VIEW d_view AS SELECT id, email FROM d;
        INSERT INTO d VALUES (1, 'Ann@x.org'), (2, 'ann@x.org'), (3, 'bob@x.org')`)
    }
    const report = await runSanitize({ target: url, rules: { version: 1, tables: { d: { id: 'keep', email: 'email' } } }, env })
    const t = report.tables[0]
    expect(t.method).toBe('update')
    expect(t.status).toBe('failed')
    expect(t.error).toMatchObject({ code: 'KDB_SANITIZE_COLLISION' })
    expect(t.error!.message).toMatch(/unique index d_email_key \(rows id=[12]; id=[12]\)/)
    await using client = await connect(url)
    expect((await client.query('SELECT email FROM d ORDER BY id')).rows.map((r) => r.email)).toEqual(['Ann@x.org', 'ann@x.org', 'bob@x.org'])
  })
})
