import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { runSanitize } from '../../../src/sanitize/run.js'
import { checkCoverage } from '../../../src/sanitize/coverage.js'
import { planSanitize } from '../../../src/sanitize/plan.js'
import { suggestRules } from '../../../src/sanitize/suggest.js'
import { scanForLeaks } from '../../../src/sanitize/scan.js'
import { renderReport } from '../../../src/sanitize/report.js'
import { connect } from '../../helpers/pg.js'
import { CHURCH_RULES, TEST_KEY, churchServer, findOriginals, joinCounts, originalValues } from './church-dataset.js'

const server = churchServer()

const env = { KOINONIA_SANITIZE_KEY: TEST_KEY }

describe('sanitize run on the church-messaging dataset', () => {
  it('masks every personal value, keeps joins and unique keys, and its scan finds nothing', async () => {
    const url = await server().createDatabase('run1', { template: 'church' })
    let before: Record<string, number>
    let originals: { exact: string[]; phones: string[] }
    {
      await using client = await connect(url)
      before = await joinCounts(client)
      originals = await originalValues(client)
    }
    const report = await runSanitize({ target: url, rules: CHURCH_RULES, env, jobs: 2 })
    expect(report.problems).toEqual([])
    expect(report.unclassified).toEqual([])
    expect(report.tables.filter((t) => t.status === 'failed')).toEqual([])
    expect(report.leaks).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.scan.fingerprints).toBeGreaterThan(5000)
    await using client = await connect(url)
    expect(await findOriginals(client, originals)).toEqual([])
    expect(await joinCounts(client)).toEqual(before)
    // "Hi <first name>," greets each contact by the fake first name their row got (names_of).
    const greeted = await client.query(`SELECT count(*) FILTER (WHERE m.body LIKE 'Hi ' || c.first_name || ',%') AS fake, count(*) AS n FROM messages m JOIN contacts c ON c.id = m.contact_id`)
    expect(greeted.rows[0].fake).toBe(greeted.rows[0].n)
    // Unique indexes were rebuilt and are valid; the foreign keys were re-added and validated.
    const invalid = await client.query(`SELECT indexrelid::regclass::text AS i FROM pg_index WHERE NOT indisvalid AND indrelid::regclass::text IN ('users','contacts','messages','churches')`)
    expect(invalid.rows).toEqual([])
    const fks = await client.query(`SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1`)
    expect(fks.rows.length).toBe(6)
    expect(fks.rows.every((r) => r.convalidated)).toBe(true)
    const sample = (await client.query(`SELECT u.email, c.email AS contact_email, u.password_hash FROM users u JOIN contacts c ON lower(c.email) = u.email LIMIT 1`)).rows[0]
    expect(sample.email).toMatch(/^user_[0-9a-f]{20}@example\.com$/)
    expect(sample.password_hash).toBe('$2b$10$CwTycUXWue0Thq9StjUM0uJ8.jyD2b4Z8Xq9GvR1mFQz5GQ1vZ0e.')
    // The audit report in its three formats.
    expect(JSON.parse(renderReport(report, 'json'))).toMatchObject({ version: 1, ok: true, leaks: [], unclassified: [] })
    const markdown = renderReport(report, 'markdown')
    expect(markdown).toContain('| public.users | email | email | masked | 300 | 300 | 0 | ok |')
    expect(markdown).toContain('| public.login_events | user_email | email | masked | 1,000 | 1,000 | 0 | not-unique |')
    expect(renderReport(report, 'pretty')).toMatch(/user_email: email \(follows public\.users\.email\), 1,000 masked/)
  })
})

/** Every table's rows in primary-key order, as COPY text: what "byte-identical" means here. */
async function dumpData(url: string): Promise<string> {
  await using client = await connect(url)
  const out: string[] = []
  for (const t of ['churches', 'users', 'contacts', 'messages', 'login_events'])
    out.push(JSON.stringify((await client.query(`SELECT * FROM ${t} ORDER BY id`)).rows))
  return out.join('\n')
}

describe('determinism', () => {
  it('the same input with the same key gives byte-identical output; another key does not', async () => {
    const [a, b, c] = await Promise.all(['det_a', 'det_b', 'det_c'].map((d) => server().createDatabase(d, { template: 'church' })))
    for (const url of [a, b]) expect((await runSanitize({ target: url, rules: CHURCH_RULES, env, jobs: 2 })).ok).toBe(true)
    expect((await runSanitize({ target: c, rules: CHURCH_RULES, env: { KOINONIA_SANITIZE_KEY: 'another-key-entirely-0000000' }, jobs: 1 })).ok).toBe(true)
    const [da, db, dc] = await Promise.all([a, b, c].map(dumpData))
    expect(da.length).toBeGreaterThan(100_000)
    expect(da === db).toBe(true)
    expect(da === dc).toBe(false)
  })
})

describe('guards', () => {
  it('a new unclassified column fails check and run refuses to write anything', async () => {
    const url = await server().createDatabase('newcol', { template: 'church' })
    {
      await using client = await connect(url)
      await client.query('ALTER TABLE contacts ADD COLUMN nickname text; ALTER TABLE churches DROP COLUMN city')
    }
    const coverage = await checkCoverage({ target: url, rules: CHURCH_RULES })
    expect(coverage.ok).toBe(false)
    expect(coverage.unclassified).toEqual([{ table: 'public.contacts', column: 'nickname' }])
    expect(coverage.stale).toMatchObject([{ table: 'public.churches', column: 'city', origin: { file: CHURCH_RULES, line: 7 } }])
    const report = await runSanitize({ target: url, rules: CHURCH_RULES, env })
    expect(report.ok).toBe(false)
    await using client = await connect(url)
    expect((await client.query(`SELECT count(*) AS n FROM users WHERE email LIKE 'user\\_%@example.com'`)).rows[0].n).toBe('0')
  })

  it('a unique column with a non-injective strategy is a plan problem; a real collision is caught before commit (both check modes)', async () => {
    const url = await server().createDatabase('collide')
    {
      await using client = await connect(url)
      await client.query(`CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE, nick text UNIQUE);
        INSERT INTO t VALUES (1, 'Ann@x.org', 'a'), (2, 'ann@x.org', 'b'), (3, 'bob@x.org', 'c')`)
    }
    const plan = await planSanitize({ target: url, rules: { version: 1, tables: { t: { id: 'keep', email: 'email', nick: 'name' } } } })
    expect(plan.problems).toMatchObject([{ code: 'KDB_SANITIZE_NOT_INJECTIVE', table: 'public.t', column: 'nick' }])
    // email is injective, but it is case-insensitive: Ann@ and ann@ would become one address.
    for (const uniqueCheck of ['before', 'rebuild'] as const) {
      const report = await runSanitize({ target: url, rules: { version: 1, tables: { t: { id: 'keep', email: 'email', nick: 'keep' } } }, env, uniqueCheck })
      expect(report.ok).toBe(false)
      const t = report.tables.find((x) => x.name === 'public.t')!
      expect(t.status).toBe('failed')
      expect(t.error).toMatchObject({ code: 'KDB_SANITIZE_COLLISION' })
      expect(t.error!.message).toMatch(/unique index t_email_key \(rows id=[12]; id=[12]\)/)
      expect(t.columns.find((c) => c.name === 'email')!.unique).toBe('collision')
    }
    await using client = await connect(url)
    expect((await client.query('SELECT email FROM t ORDER BY id')).rows.map((r) => r.email)).toEqual(['Ann@x.org', 'ann@x.org', 'bob@x.org'])
  })

  it('the scan names table, column and row of an original value left in a kept column', async () => {
    const url = await server().createDatabase('leaky', { template: 'church' })
    {
      await using client = await connect(url)
      // Someone pasted a member's address into the church name, and a token into the role.
      await client.query(`UPDATE churches SET name = 'Grace (contact ' || (SELECT email FROM contacts WHERE id = 7) || ')' WHERE id = 3`)
      await client.query(`UPDATE users SET role = (SELECT api_token FROM users WHERE id = 3) WHERE id = 5`)
      // And a login's address, written as addresses are in text (no /32).
      await client.query(`UPDATE users SET role = (SELECT host(ip) FROM login_events WHERE id = 2) WHERE id = 6`)
    }
    const report = await runSanitize({ target: url, rules: CHURCH_RULES, env })
    expect(report.ok).toBe(false)
    expect(report.leaks).toEqual(expect.arrayContaining([
      { table: 'public.churches', column: 'name', key: 'id=3', kind: 'original-value' },
      { table: 'public.churches', column: 'name', key: 'id=3', kind: 'pattern:email' },
      { table: 'public.users', column: 'role', key: 'id=5', kind: 'original-value' },
      { table: 'public.users', column: 'role', key: 'id=5', kind: 'pattern:api-key' },
      { table: 'public.users', column: 'role', key: 'id=6', kind: 'original-value' },
    ]))
    expect(JSON.stringify(report)).not.toContain('@gmail.com')
    // `sanitize scan` on its own: the fingerprints stay after a failed scan, so it finds the same rows.
    const again = await scanForLeaks({ target: url, rules: CHURCH_RULES, env })
    expect(again.leaks).toEqual(expect.arrayContaining(report.leaks))
    expect(again.summary.fingerprints).toBe(report.scan.fingerprints)
  })
})

describe('suggest', () => {
  it('proposes ip for addresses, text ones included, and noise for personal amounts', async () => {
    const url = await server().createDatabase('suggest-ip')
    {
      await using c = await connect(url)
      await c.query(`CREATE TABLE sessions (id int PRIMARY KEY, client inet NOT NULL, ip_address text, network cidr);
        CREATE TABLE gifts (id int PRIMARY KEY, donation_amount numeric(10,2), annual_income int, quantity int)`)
    }
    const { suggestions } = await suggestRules({ target: url })
    const rule = (t: string, c: string) => suggestions.find((s) => s.table === `public.${t}` && s.column === c)?.rule
    expect([rule('sessions', 'client'), rule('sessions', 'ip_address'), rule('sessions', 'network')]).toEqual(['ip', 'ip', 'ip'])
    expect([rule('gifts', 'donation_amount'), rule('gifts', 'annual_income')]).toEqual(['noise', 'noise'])
    expect(rule('gifts', 'quantity')).toBe('keep')
  })

  it('proposes scrub for free text and address for street addresses whatever the column is called, and keep for short labels', async () => {
    const url = await server().createDatabase('suggest-prose')
    {
      await using c = await connect(url)
      await c.query(`CREATE TABLE tickets (id int PRIMARY KEY, subject text, details text, sku text, ship_to text, doc jsonb);
        INSERT INTO tickets SELECT g, 'Refund request', 'Spoke with Ruth Okafor about order ' || g || ', she wants a refund.', 'SKU-' || g,
          g || (ARRAY[' Oak Street, Springfield', 'B Baker St.', ' Pennsylvania Avenue NW'])[1 + g % 3], jsonb_build_object('drop', g || ' Privet Drive') FROM generate_series(1, 20) g`)
    }
    const { suggestions } = await suggestRules({ target: url })
    const rule = (c: string) => suggestions.find((s) => s.table === 'public.tickets' && s.column === c)
    expect([rule('subject')?.rule, rule('details')?.rule, rule('sku')?.rule]).toEqual(['keep', 'scrub', 'keep'])
    // Street addresses by content, whatever the column or JSON key is called.
    expect(rule('ship_to')?.rule).toBe('address')
    expect(rule('ship_to')?.reason).toBe('100% of sampled values are street addresses')
    expect(rule('doc')?.rule).toEqual({ strategy: 'jsonb', paths: [{ path: 'drop', action: 'mask', strategy: 'address' }] })
    expect(rule('details')?.reason).toBe('100% of sampled values are free text (five words or more), where names, emails and phones can stand')
  })

  it('proposes ip for text holding addresses and scrub for text with addresses inside, never phone for an address', async () => {
    const url = await server().createDatabase('suggest-ip-content')
    {
      await using c = await connect(url)
      await c.query(`CREATE TABLE hits (id int PRIMARY KEY, origin text, gateway text, line text, doc jsonb, build text, net text);
        INSERT INTO hits SELECT g, (ARRAY['203.0.113.7', '2001:db8::42', ' 198.51.100.9'])[1 + g % 3], '192.168.100.' || (100 + g),
          'GET /feed from ' || (ARRAY['203.0.113.7', '2001:DB8::42'])[1 + g % 2] || ' 200', jsonb_build_object('peer', '10.0.' || g || '.1'),
          'v1.2.3.' || g || '.4', (ARRAY['10.' || g || '.0.0/16', '2001:db8:' || g || '::/48'])[1 + g % 2] FROM generate_series(1, 20) g`)
    }
    const { suggestions } = await suggestRules({ target: url })
    const rule = (c: string) => suggestions.find((s) => s.table === 'public.hits' && s.column === c)
    expect([rule('origin')?.rule, rule('gateway')?.rule, rule('net')?.rule, rule('line')?.rule, rule('build')?.rule]).toEqual(['ip', 'ip', 'ip', 'scrub', 'keep'])
    expect(rule('gateway')?.reason).toBe('100% of sampled values are IP addresses')
    expect(rule('line')?.reason).toBe('100% of sampled values contain IP addresses inside text')
    expect(rule('doc')?.rule).toEqual({ strategy: 'jsonb', paths: [{ path: 'peer', action: 'mask', strategy: 'ip' }] })
  })

  it('proposes rules that mark the personal columns and cover every column', async () => {
    const url = await server().createDatabase('suggest', { template: 'church' })
    const { suggestions, yaml } = await suggestRules({ target: url })
    const rule = (t: string, c: string) => suggestions.find((s) => s.table === `public.${t}` && s.column === c)?.rule
    expect(rule('users', 'email')).toBe('email')
    expect(rule('users', 'password_hash')).toMatchObject({ strategy: 'constant' })
    expect(rule('users', 'api_token')).toBe('hash')
    expect(rule('contacts', 'phone')).toBe('phone')
    // Messages greet their contact by first name ("Hi Ruth,"): scrub masks that person's names too.
    expect(rule('messages', 'body')).toEqual({ strategy: 'scrub', names_of: 'contact_id' })
    expect(suggestions.find((s) => s.column === 'body')?.reason).toMatch(/; 100% of sampled values name the person contact_id references by first name$/)
    expect(rule('messages', 'provider_message_id')).toBe('hash')
    expect(rule('churches', 'twilio_account_sid')).toBe('hash')
    expect(rule('contacts', 'metadata')).toMatchObject({ strategy: 'jsonb' })
    expect(rule('users', 'role')).toBe('keep')
    expect(rule('login_events', 'ip')).toBe('ip')
    expect(yaml).toContain('# user_email: follows public.users through foreign key login_events_user_email_fkey')
    // What suggest proposes is what the rules file's schema allows, and the file names the schema for editors.
    expect(yaml).toContain('# yaml-language-server: $schema=./node_modules/koinonia-db/schema/sanitize-rules.schema.json')
    const { Ajv } = await import('ajv')
    const { sanitizeRulesSchema } = await import('../../../src/sanitize/rules-schema.js')
    const validate = new Ajv({ allErrors: true }).compile(sanitizeRulesSchema())
    expect(validate((await import('yaml')).parse(yaml)), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs')
    const dir = mkdtempSync('/tmp/kdb-suggest-')
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const file = `${dir}/sanitize.yaml`
    writeFileSync(file, yaml)
    const coverage = await checkCoverage({ target: url, rules: file })
    expect(coverage.unclassified).toEqual([])
    expect(coverage.stale).toEqual([])
  })
})

describe('Prisma annotations', () => {
  it('`/// @sanitize` fields of schema.prisma (with @map/@@map) merge with the rules file for a run', async () => {
    const { parse } = await import('yaml')
    const { readFileSync, writeFileSync, mkdtempSync, rmSync } = await import('node:fs')
    const config = parse(readFileSync(CHURCH_RULES, 'utf8'))
    for (const c of ['email', 'full_name', 'password_hash', 'phone', 'api_token']) delete config.tables.users[c]
    const dir = mkdtempSync('/tmp/kdb-prisma-')
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const file = `${dir}/rules.json`
    writeFileSync(file, JSON.stringify(config))
    const url = await server().createDatabase('prisma', { template: 'church' })
    const prismaSchema = fileURLToPath(new URL('../../../fixtures/sanitize/schema.prisma', import.meta.url))
    expect((await checkCoverage({ target: url, rules: file })).unclassified.map((u) => `${u.table}.${u.column}`).sort()).toEqual(['public.login_events.user_email', ...['api_token', 'email', 'full_name', 'password_hash', 'phone'].map((c) => `public.users.${c}`)])
    const report = await runSanitize({ target: url, rules: file, prisma: prismaSchema, env })
    expect(report.ok).toBe(true)
    const users = report.tables.find((t) => t.name === 'public.users')!
    expect(users.columns.find((c) => c.name === 'full_name')).toMatchObject({ rule: 'name', masked: 300, origin: { source: 'prisma', file: prismaSchema } })
    await using client = await connect(url)
    expect((await client.query(`SELECT count(*) AS n FROM users WHERE email !~ '^user_[0-9a-f]{20}@example\\.com$'`)).rows[0].n).toBe('0')
  })
})
