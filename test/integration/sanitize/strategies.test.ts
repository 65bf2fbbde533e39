import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { runSanitize } from '../../../src/sanitize/run.js'
import { resolveKey, fingerprintInNode } from '../../../src/sanitize/key.js'
import type { SanitizeRulesConfig } from '../../../src/sanitize/types.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'

let server: PostgresHandle
beforeAll(async () => {
  server = await startTestPostgres()
})
afterAll(async () => server?.stop())

const env = { KOINONIA_SANITIZE_KEY: 'strategies-test-key-0123456789' }
let n = 0

/** Creates a one-table database, masks it with the given rules, returns the rows after. */
async function masked(ddl: string, rules: SanitizeRulesConfig['tables'], order = 'id'): Promise<Record<string, unknown>[]> {
  const url = await server.createDatabase(`s${++n}`)
  {
    await using c = await connect(url)
    await c.query(ddl)
  }
  const report = await runSanitize({ target: url, rules: { version: 1, tables: rules }, env, noScan: true })
  expect(report.problems).toEqual([])
  expect(report.tables.map((t) => t.status)).not.toContain('failed')
  await using c = await connect(url)
  return (await c.query(`SELECT * FROM t ORDER BY ${order}`)).rows
}

describe('strategies, run inside Postgres', () => {
  it('email: keyed, case-insensitive, the same HMAC as computed in Node', async () => {
    const rows = await masked(`CREATE TABLE t (id int PRIMARY KEY, e text); INSERT INTO t VALUES (1, 'Ann@Example.org'), (2, 'ann@example.org'), (3, 'bob@x.io'), (4, NULL)`, { t: { id: 'keep', e: 'email' } })
    const expected = `user_${fingerprintInNode(resolveKey(env), 'v:ann@example.org').toString('hex')}@example.com`
    expect(rows.map((r) => r.e)).toEqual([expected, expected, expect.stringMatching(/^user_[0-9a-f]{20}@example\.com$/), null])
    expect(rows[2].e).not.toBe(expected)
  })

  it('phone: E.164 shape with the original country code and length; national numbers stay national', async () => {
    const rows = await masked(`CREATE TABLE t (id int PRIMARY KEY, p varchar(20)); INSERT INTO t VALUES (1, '+44 7700 900123'), (2, '+1 (512) 555-0199'), (3, '(512) 555-0199'), (4, '+353 85 123 4567')`, { t: { id: 'keep', p: 'phone' } })
    expect(rows[0].p).toMatch(/^\+44\d{10}$/)
    expect(rows[1].p).toMatch(/^\+1\d{10}$/)
    expect(rows[2].p).toMatch(/^\d{10}$/)
    // One number written two ways is one person: the national digits agree.
    expect((rows[1].p as string).slice(2)).toBe(rows[2].p)
    expect(rows[3].p).toMatch(/^\+353\d{9}$/)
    expect(rows[0].p).not.toBe('+447700900123')
  })

  it('name, address, partial, hash (text, uuid, bigint), null, constant, date-shift', async () => {
    const rows = await masked(
      `CREATE TABLE t (id int PRIMARY KEY, n text, a text, card text, tok text, u uuid, b bigint, gone text, pw text, born date, seen timestamptz);
       INSERT INTO t VALUES (1, 'Ruth Okafor', '12 Church Lane', '4111 1111 1111 1234', 'sk_live_abcdef123456', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 42, 'x', 'secret-hash', '1980-05-17', '2024-01-01 10:00+00')`,
      { t: { id: 'keep', n: 'name', a: 'address', card: { strategy: 'partial', keep_last: 4 }, tok: { strategy: 'hash', keep_prefix: 8, length: 24 }, u: 'hash', b: 'hash', gone: 'null', pw: { strategy: 'constant', value: 'staging' }, born: { strategy: 'date-shift', days: 5 }, seen: { strategy: 'date-shift', days: 2, by: 'id' } } },
    )
    const r = rows[0]
    expect(r.n).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
    expect(r.n).not.toBe('Ruth Okafor')
    expect(r.a).toMatch(/^\d+ [A-Z][a-z]+ [A-Z][a-z]+, [A-Z][a-z]+$/)
    expect(r.card).toBe('XXXXXXXXXXXXXXX1234')
    expect(r.tok).toMatch(/^sk_live_[0-9a-f]{24}$/)
    expect(r.u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/)
    expect(r.u).not.toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')
    expect(Number(r.b)).not.toBe(42)
    expect(r.gone).toBeNull()
    expect(r.pw).toBe('staging')
    const days = (d: Date, base: string) => Math.abs(d.getTime() - new Date(base).getTime()) / 86_400_000
    expect(days(r.born as Date, '1980-05-17')).toBeLessThanOrEqual(5)
    expect(days(r.seen as Date, '2024-01-01T10:00:00Z')).toBeLessThanOrEqual(2)
  })

  it('hash in the default domain: the hex digits start with the fingerprint computed in Node, case variants still differ', async () => {
    const rows = await masked(
      `CREATE TABLE t (id int PRIMARY KEY, tok text UNIQUE, v varchar(40), narrow varchar(30), own text);
       INSERT INTO t VALUES (1, 'sk_live_abcdef123456', 'sk_live_abcdef123456', 'ab', 'sk_live_abcdef123456'), (2, 'sk_live_ABCDEF123456', NULL, NULL, NULL), (3, ' sk_live_abcdef123456', NULL, NULL, NULL)`,
      { t: { id: 'keep', tok: { strategy: 'hash', keep_prefix: 8 }, v: { strategy: 'hash', keep_prefix: 8 }, narrow: { strategy: 'hash', length: 24 }, own: { strategy: 'hash', domain: 'stripe', keep_prefix: 8 } } },
    )
    const fp = fingerprintInNode(resolveKey(env), 'v:sk_live_abcdef123456').toString('hex')
    expect(rows.map((r) => r.tok)).toEqual([
      expect.stringMatching(new RegExp(`^sk_live_${fp}[0-9a-f]{12}$`)),
      expect.stringMatching(new RegExp(`^sk_live_${fp}[0-9a-f]{12}$`)),
      expect.stringMatching(new RegExp(`^ sk_live${fp}[0-9a-f]{12}$`)),
    ])
    expect(new Set(rows.map((r) => (r.tok as string).slice(-12))).size).toBe(3)
    // The same value and rule in a varchar column: the same fake (joins on values survive).
    expect(rows[0].v).toBe(rows[0].tok)
    // Outside 32–48 digits or with a domain of its own: the HMAC of before, without the fingerprint.
    expect(rows[0].narrow).toMatch(/^[0-9a-f]{24}$/)
    expect(rows[0].own).toMatch(/^sk_live_[0-9a-f]{32}$/)
    expect(rows[0].own).not.toContain(fp)
  })

  it('ip: a keyed fake of the same family and prefix length, never a public address; text keeps its written form', async () => {
    const rows = await masked(
      `CREATE TABLE t (id int PRIMARY KEY, a inet NOT NULL, net cidr, s text);
       INSERT INTO t VALUES (1, '203.0.113.7', '198.51.100.0/24', '203.0.113.7'), (2, '2001:db8::42', '2001:db8:1::/48', '2001:db8::42'),
         (3, '203.0.113.7/16', NULL, '203.0.113.7/16'), (4, '198.51.100.9', NULL, 'not an address'), (5, '198.51.100.9', NULL, NULL)`,
      { t: { id: 'keep', a: 'ip', net: 'ip', s: 'ip' } },
    )
    const [v4, v6, withMask, junk, again] = rows
    expect(v4.a).toMatch(/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/)
    expect(v4.a).not.toBe('203.0.113.7')
    // One address, one fake: in another row, and in a text column.
    expect(v4.s).toBe(v4.a)
    expect(again.a).toBe(junk.a)
    expect(v6.a).toMatch(/^fd[0-9a-f]{2}:/)
    expect(v6.s).toBe(v6.a)
    // The prefix length survives; a cidr stays a network of the same length.
    expect(withMask.a).toMatch(/^10\.\d+\.\d+\.\d+\/16$/)
    expect(withMask.s).toBe(withMask.a)
    expect(v4.net).toMatch(/^10\.\d+\.\d+\.0\/24$/)
    expect(v6.net).toMatch(/^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/48$/)
    expect(junk.s).toMatch(/^10\.\d+\.\d+\.\d+$/)
    expect(again.s).toBeNull()
  })

  it('noise: numbers within ±ratio, rounded as the column rounds, never past what it stores; by moves an entity together', async () => {
    const rows = await masked(
      `CREATE TABLE t (id int PRIMARY KEY, donor int, amount numeric(7,2), gift numeric(5,2), count int4, tiny int2, score float8);
       INSERT INTO t VALUES (1, 7, 1000.00, 999.99, 200, 32767, 0.5), (2, 7, 1000.00, 999.99, 200, 32767, 0.5), (3, 8, 1000.00, 10.00, NULL, -32768, NULL)`,
      { t: { id: 'keep', donor: 'keep', amount: { strategy: 'noise', ratio: 0.2, by: 'donor' }, gift: 'noise', count: 'noise', tiny: 'noise', score: { strategy: 'noise', ratio: 0.5 } } },
    )
    const amounts = rows.map((r) => Number(r.amount))
    for (const a of amounts) expect(a).toBeGreaterThanOrEqual(800)
    for (const a of amounts) expect(a).toBeLessThanOrEqual(1200)
    // One donor's rows move together; another donor's by another amount (keyed: the draw differs).
    expect(amounts[0]).toBe(amounts[1])
    expect(amounts[2]).not.toBe(amounts[0])
    expect(String(rows[0].amount)).toMatch(/^\d+\.\d{2}$/)
    // Keyed on the value: the same value, the same noise; numeric(5,2) stays at most 999.99.
    expect(rows[0].gift).toBe(rows[1].gift)
    expect(Number(rows[0].gift)).toBeLessThanOrEqual(999.99)
    expect(Number(rows[0].gift)).toBeGreaterThanOrEqual(899.99)
    expect(Math.abs(Number(rows[0].count) - 200)).toBeLessThanOrEqual(20)
    expect(Number.isInteger(rows[0].count)).toBe(true)
    expect(rows[2].count).toBeNull()
    for (const r of rows) expect(Math.abs(Number(r.tiny))).toBeLessThanOrEqual(32767)
    expect(Math.abs(Number(rows[0].score) - 0.5)).toBeLessThanOrEqual(0.25)
    expect(new Set(rows.map((r) => `${r.gift}|${r.count}|${r.tiny}`)).size).toBeGreaterThan(1)
  })

  it('choice: a keyed pick from the values, the same for the same original or the same by value, cast to the column (enum, varchar); NULL stays', async () => {
    const rows = await masked(
      `CREATE TYPE blood AS ENUM ('A', 'B', 'AB', 'O');
       CREATE TABLE t (id int PRIMARY KEY, person int, country varchar(2), gender text, type blood);
       INSERT INTO t SELECT g, g % 3, (ARRAY['NG', 'IE', 'US'])[1 + g % 3], CASE WHEN g % 5 = 0 THEN NULL ELSE 'g' || (g % 7) END, (ARRAY['A', 'O']::blood[])[1 + g % 2] FROM generate_series(1, 60) g`,
      { t: { id: 'keep', person: 'keep', country: { strategy: 'choice', values: ['FR', 'DE', 'JP', 'BR'] }, gender: { strategy: 'choice', values: ['F', 'M', 'X'], by: 'person' }, type: { strategy: 'choice', values: ['A', 'B', 'AB', 'O'] } } },
    )
    const byOriginal = new Map<number, Set<unknown>>()
    for (const r of rows) {
      expect(['FR', 'DE', 'JP', 'BR']).toContain(r.country)
      expect(['A', 'B', 'AB', 'O']).toContain(r.type)
      const id = r.id as number
      if (id % 5 === 0) expect(r.gender).toBeNull()
      else expect(['F', 'M', 'X']).toContain(r.gender)
      // The same original country (id % 3) always gets the same pick.
      byOriginal.set(id % 3, (byOriginal.get(id % 3) ?? new Set()).add(r.country))
    }
    for (const picks of byOriginal.values()) expect(picks.size).toBe(1)
    // by: one person (id % 3), one gender, whatever their rows held.
    for (const p of [0, 1, 2]) expect(new Set(rows.filter((r) => r.person === p && r.gender !== null).map((r) => r.gender)).size).toBe(1)
    // Keyed: not every original maps to one value.
    expect(new Set(rows.map((r) => r.country)).size).toBeGreaterThan(1)
  })

  it('choice and constant: a value the column cannot hold, and a by that is no column, stop the run before anything is masked', async () => {
    const url = await server.createDatabase(`s${++n}`)
    {
      await using c = await connect(url)
      await c.query(`CREATE TYPE blood AS ENUM ('A', 'O'); CREATE TABLE t (id int PRIMARY KEY, type blood, g text, n int); INSERT INTO t VALUES (1, 'A', 'x', 7)`)
    }
    const bad = await runSanitize({ target: url, rules: { version: 1, tables: { t: { id: 'keep', n: { strategy: 'constant', value: 'x' }, g: 'keep', type: { strategy: 'choice', values: ['A', 'Z'] } } } }, env, noScan: true })
    expect(bad.ok).toBe(false)
    expect(bad.problems.map((p) => [p.code, p.message])).toEqual([
      ['KDB_SANITIZE_VALUE', 'public.t.type: choice value "Z" does not fit blood: invalid input value for enum blood: "Z"'],
      ['KDB_SANITIZE_VALUE', 'public.t.n: constant value "x" does not fit integer: invalid input syntax for type integer: "x"'],
    ])
    const typo = await runSanitize({ target: url, rules: { version: 1, tables: { t: { id: 'keep', type: 'keep', n: 'keep', g: { strategy: 'choice', values: ['a', 'b'], by: 'persn' } } } }, env, noScan: true })
    expect(typo.problems.map((p) => [p.code, p.message])).toEqual([['KDB_SANITIZE_BY', 'public.t.g: by names persn, which is no column of public.t']])
    await using c = await connect(url)
    expect((await c.query('SELECT id, type, g, n FROM t')).rows).toEqual([{ id: 1, type: 'A', g: 'x', n: 7 }])
  })

  it('scrub replaces emails and phones inside text with the same fakes as the column strategies', async () => {
    const rows = await masked(
      `CREATE TABLE t (id int PRIMARY KEY, e text, p text, body text);
       INSERT INTO t VALUES (1, 'ann@example.org', '+1 512 555 0199', 'Mail ANN@example.org or call +1 512 555 0199 before 2024-05-01, ref 12345.')`,
      { t: { id: 'keep', e: 'email', p: 'phone', body: 'scrub' } },
    )
    const body = rows[0].body as string
    expect(body).toContain(rows[0].e as string)
    expect(body).toContain(rows[0].p as string)
    expect(body).toMatch(/^Mail user_[0-9a-f]{20}@example\.com or call \+1\d{10} before 2024-05-01, ref 12345\.$/)
  })

  it('scrub replaces IP addresses inside text with the ip strategy\'s fakes, each where it stands alone', async () => {
    const rows = await masked(
      `CREATE TABLE t (id int PRIMARY KEY, ip inet, s text, v6 inet, body text);
       INSERT INTO t VALUES (1, '203.0.113.7', '192.168.100.200', '2001:db8::42',
         'Login from 203.0.113.7, then 192.168.100.200 and [2001:DB8:0:0::42]:443. Build 11.203.0.113.75 on v1.2.3.4.5, at 10:30:00; std::vector, ::1, 00:1a:2b:3c:4d:5e.')`,
      { t: { id: 'keep', ip: 'ip', s: 'ip', v6: 'ip', body: 'scrub' } },
    )
    const { ip, s, v6, body } = rows[0] as { ip: string; s: string; v6: string; body: string }
    expect(ip).toMatch(/^10\.\d+\.\d+\.\d+$/)
    expect(v6).toMatch(/^fd[0-9a-f]{2}:/)
    // The same fake as the inet and the text columns got (an IPv6 address whatever its spelling),
    // the 3-digit octets not taken for a phone number; a longer dotted number that holds an
    // address, a time, C++, the loopback and a MAC address are left alone.
    expect(body).toBe(`Login from ${ip}, then ${s} and [${v6}]:443. Build 11.203.0.113.75 on v1.2.3.4.5, at 10:30:00; std::vector, ::1, 00:1a:2b:3c:4d:5e.`)
  })

  it('scrub replaces the full names masked name columns held with the name strategy\'s fakes, and no other capitalised words', async () => {
    const url = await server.createDatabase(`s${++n}`)
    {
      await using c = await connect(url)
      await c.query(`CREATE TABLE people (id int PRIMARY KEY, full_name text, first text, last text, doc jsonb);
        INSERT INTO people VALUES (1, 'Ruth Okafor', NULL, NULL, '{"guardian": {"name": "Olu Adeyemi"}}'), (2, 'Mary Ann  Smith', NULL, NULL, NULL), (3, NULL, 'Seamus', 'O''Brien', NULL), (4, 'Grace', NULL, NULL, NULL);
        CREATE TABLE t (id int PRIMARY KEY, body text, raw text);
        INSERT INTO t VALUES (1, 'Dear Ruth Okafor, RUTH OKAFOR and ruth okafor asked Grace Church about Ann Smith. Olu Adeyemi signed.', 'Dear Ruth Okafor'),
          (2, 'Mary Ann Smith met Seamus O''Brien and Ruth  Okafor at New York City Hall; Ann Smith stayed.', NULL), (3, 'Ruth Okafor', NULL),
          (4, 'Register: Ruth OKAFOR, Mary Ann SMITH, MARY Ann Smith.', NULL)`)
    }
    const rules = {
      people: {
        id: 'keep', full_name: 'name', first: { strategy: 'name', part: 'first' }, last: { strategy: 'name', part: 'last' },
        doc: { strategy: 'jsonb', paths: [{ path: 'guardian.name', action: 'mask', strategy: 'name' }] },
      },
      t: { id: 'keep', body: 'scrub', raw: { strategy: 'scrub', names: false } },
    }
    const events: string[] = []
    const report = await runSanitize({ target: url, rules: { version: 1, tables: rules }, env, onProgress: (e) => events.push(e.kind) })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    // The names are fingerprinted first, and the caller is told (it reads every name column).
    expect(events.slice(0, 2)).toEqual(['names', 'plan'])
    await using c = await connect(url)
    const people = (await c.query('SELECT full_name FROM people ORDER BY id')).rows.map((r) => r.full_name as string)
    const guardian = (await c.query(`SELECT doc #>> '{guardian,name}' AS g FROM people WHERE id = 1`)).rows[0].g as string
    const { rows } = await c.query('SELECT body, raw FROM t ORDER BY id')
    const body = rows.map((r) => r.body as string)
    // A full name as the column (or a JSON leaf) wrote it, and its fake is the column's; in
    // capitals, its fake in capitals (mixed: word by word); words of one line only; a first and a last name column
    // joined; not the capitalised words no masked column held, nor a one-word name, nor a name in
    // lower case (a limit of the search).
    expect(body[0]).toBe(`Dear ${people[0]}, ${people[0].toUpperCase()} and ruth okafor asked Grace Church about Ann Smith. ${guardian} signed.`)
    expect(body[1]).toMatch(new RegExp(`^${people[1]} met [A-Z][a-z]+ [A-Z][a-z]+ and ${people[0]} at New York City Hall; Ann Smith stayed\\.$`))
    expect(body[1]).not.toContain('Seamus')
    expect(body[2]).toBe(people[0])
    // Mixed: each word of the fake written as the word it stands for, the last for the last.
    const [first0, last0] = people[0].split(' ')
    const [first1, last1] = people[1].split(' ')
    expect(body[3]).toBe(`Register: ${first0} ${last0.toUpperCase()}, ${first1} ${last1.toUpperCase()}, ${first1.toUpperCase()} ${last1}.`)
    // Asked not to look for names, scrub leaves them, and the leak scan finds the one left there;
    // none of the others: they are not full names a masked column held.
    expect(rows[0].raw).toBe('Dear Ruth Okafor')
    expect(report.leaks).toEqual([{ table: 'public.t', column: 'raw', key: 'id=1', kind: 'original-value' }])
  })

  it('scrub with names_of: the person a text is about is masked by first and last name alone, as their row was', async () => {
    const url = await server.createDatabase(`s${++n}`)
    const ddl = `CREATE TABLE contacts (id int PRIMARY KEY, first text, last text, full_name text, note text);
        INSERT INTO contacts VALUES (1, 'Ruth', 'Okafor', 'Ruth Okafor', NULL), (2, 'Seamus', 'O''Brien', 'Seamus O''Brien', NULL), (3, NULL, NULL, NULL, NULL);
        CREATE TABLE messages (id int PRIMARY KEY, contact_id int REFERENCES contacts, body text);
        INSERT INTO messages VALUES (1, 1, 'Hi Ruth, your Okafor family pass is ready. Ruthless? Seamus says hi.'), (2, 2, 'Dear Mr O''Brien, Seamus: see you.'),
          (3, NULL, 'Hi Ruth'), (4, 3, 'Hi Ruth'), (5, 1, 'PASS FOR: RUTH OKAFOR')`
    {
      await using c = await connect(url)
      await c.query(ddl)
    }
    const rules = {
      contacts: { id: 'keep', first: { strategy: 'name', part: 'first' }, last: { strategy: 'name', part: 'last' }, full_name: 'name', note: 'keep' },
      messages: { id: 'keep', contact_id: 'keep', body: { strategy: 'scrub', names_of: 'contact_id' } },
    }
    const report = await runSanitize({ target: url, rules: { version: 1, tables: rules }, env })
    expect(report.problems).toEqual([])
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    await using c = await connect(url)
    const people = (await c.query('SELECT first, last FROM contacts ORDER BY id')).rows as { first: string; last: string }[]
    const body = (await c.query('SELECT body FROM messages ORDER BY id')).rows.map((r) => r.body as string)
    // Each message's own person, by the fakes their row got, as whole words; not another person's
    // name, nor a message without a person.
    expect(body[0]).toBe(`Hi ${people[0].first}, your ${people[0].last} family pass is ready. Ruthless? Seamus says hi.`)
    expect(body[1]).toBe(`Dear Mr ${people[1].last}, ${people[1].first}: see you.`)
    expect(body.slice(2, 4)).toEqual(['Hi Ruth', 'Hi Ruth'])
    // In capitals, by the fakes in capitals.
    expect(body[4]).toBe(`PASS FOR: ${people[0].first.toUpperCase()} ${people[0].last.toUpperCase()}`)
    expect(report.leaks).toEqual([])

    // A names_of without a foreign key, or to people whose names are not masked, is a plan problem.
    const bad = await runSanitize({ target: url, env, rules: { version: 1, tables: { ...rules, messages: { ...rules.messages, body: { strategy: 'scrub', names_of: 'id' } } } } })
    expect(bad.problems.map((p) => [p.code, p.message])).toEqual([['KDB_SANITIZE_NAMES_OF', 'public.messages.body: names_of: id has no single-column foreign key to the people it names, and no reference declares one']])
    const unnamed = { ...rules, contacts: { id: 'keep', first: 'keep', last: 'keep', full_name: 'keep', note: 'keep' } }
    const bad2 = await runSanitize({ target: url, env, rules: { version: 1, tables: unnamed } })
    expect(bad2.problems.map((p) => p.message)).toEqual(['public.messages.body: names_of contact_id points to public.contacts, which masks no name column'])

    // The leak scan checks each text against its own person: a first name put back after the run is
    // found; another person's first name, and the fake, are not.
    const again = await server.createDatabase(`s${++n}`)
    {
      await using c2 = await connect(again)
      await c2.query(ddl)
    }
    expect((await runSanitize({ target: again, rules: { version: 1, tables: rules }, env, noScan: true })).problems).toEqual([])
    {
      await using c2 = await connect(again)
      await c2.query(`UPDATE messages SET body = 'Hello Ruth, and ' || (SELECT first FROM contacts WHERE id = 1) WHERE id = 1;
        UPDATE messages SET body = 'Hi Ruth, ' || (SELECT first FROM contacts WHERE id = 2) WHERE id = 2`)
    }
    const { scanForLeaks } = await import('../../../src/sanitize/scan.js')
    const scan = await scanForLeaks({ target: again, rules: { version: 1, tables: rules }, env })
    expect(scan.leaks).toEqual([{ table: 'public.messages', column: 'body', key: 'id=1', kind: 'original-value' }])

    // Without the foreign key (Prisma's relationMode "prisma"), a declared reference links them.
    const loose = await server.createDatabase(`s${++n}`)
    {
      await using c3 = await connect(loose)
      await c3.query(ddl.replace('REFERENCES contacts', ''))
    }
    const declared = await runSanitize({ target: loose, env, rules: { version: 1, tables: rules, references: [{ from: 'messages.contact_id', to: 'contacts.id' }] } })
    expect(declared.problems).toEqual([])
    await using c3 = await connect(loose)
    const first = (await c3.query('SELECT first FROM contacts WHERE id = 1')).rows[0].first as string
    expect((await c3.query('SELECT body FROM messages WHERE id = 1')).rows[0].body).toMatch(new RegExp(`^Hi ${first}, `))
  })

  it('scrub replaces the street lines masked address columns held with the street line of their fake', async () => {
    const url = await server.createDatabase(`s${++n}`)
    {
      await using c = await connect(url)
      await c.query(`CREATE TABLE homes (id int PRIMARY KEY, address text);
        INSERT INTO homes VALUES (1, '12 Oak Street, Springfield, IL 62701'), (2, '4  Privet Drive'), (3, 'PO Box 7');
        CREATE TABLE t (id int PRIMARY KEY, body text);
        INSERT INTO t VALUES (1, 'Leave it at 12 Oak Street Springfield, or at 4 Privet Drive. Not 12 Oak Avenue, not 412 Oak Street, not 12 Oakley Street.')`)
    }
    // names: false is about names: street lines are still replaced.
    const report = await runSanitize({ target: url, rules: { version: 1, tables: { homes: { id: 'keep', address: 'address' }, t: { id: 'keep', body: { strategy: 'scrub', names: false } } } }, env })
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    await using c = await connect(url)
    const streets = (await c.query('SELECT address FROM homes ORDER BY id')).rows.map((r) => (r.address as string).split(',')[0])
    const body = (await c.query('SELECT body FROM t')).rows[0].body as string
    // The street line as its column's fake begins; the longest start of a run that was one; not a
    // different street, number or word.
    expect(body).toBe(`Leave it at ${streets[0]} Springfield, or at ${streets[1]}. Not 12 Oak Avenue, not 412 Oak Street, not 12 Oakley Street.`)
    expect(report.leaks).toEqual([])
  })

  it('jsonb path rules: mask, set and delete at paths, arrays included, json and jsonb', async () => {
    const doc = { guardian: { name: 'Ruth Okafor', email: 'ruth@family.net' }, emails: ['a1@x.com', 'b2@y.com'], tokens: ['t1'], kids: [{ name: 'Sam', phone: '+44 7700 900123' }], last_ip: '203.0.113.7', keep: 1 }
    const rows = await masked(
      `CREATE TABLE t (id int PRIMARY KEY, d jsonb, j json); INSERT INTO t VALUES (1, '${JSON.stringify(doc)}', '${JSON.stringify(doc)}')`,
      { t: { id: 'keep', ...Object.fromEntries(['d', 'j'].map((c) => [c, { strategy: 'jsonb', paths: [
        { path: 'guardian.email', action: 'mask', strategy: 'email' },
        { path: 'guardian.name', action: 'set', value: 'Guardian' },
        { path: 'emails[*]', action: 'mask', strategy: 'email' },
        { path: 'kids[*].phone', action: 'mask', strategy: 'phone' },
        { path: 'kids[*].name', action: 'delete' },
        { path: 'last_ip', action: 'mask', strategy: 'ip' },
        { path: 'tokens', action: 'delete' },
      ] }])) } },
    )
    for (const col of ['d', 'j']) {
      const out = rows[0][col] as typeof doc
      expect(out.guardian.name).toBe('Guardian')
      expect(out.guardian.email).toMatch(/^user_[0-9a-f]{20}@example\.com$/)
      expect(out.emails).toHaveLength(2)
      expect(out.emails.every((e) => /^user_/.test(e))).toBe(true)
      expect(out.kids[0]).toEqual({ phone: expect.stringMatching(/^\+44\d{10}$/) })
      expect(out).not.toHaveProperty('tokens')
      expect(out.last_ip).toMatch(/^10\.\d+\.\d+\.\d+$/)
      expect(out.keep).toBe(1)
    }
  })
})
