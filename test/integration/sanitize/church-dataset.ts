import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import type { PostgresHandle } from '../../../src/postgres/index.js'
import { connect, startTestPostgres } from '../../helpers/pg.js'

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/sanitize/${name}`, import.meta.url))
export const CHURCH_RULES = fixture('church.sanitize.yaml')
export const TEST_KEY = 'test-key-0123456789abcdef-not-a-real-secret'

/** Creates the church-messaging schema and fills it (scale 1 ≈ 6,000 rows). */
export async function loadChurchDataset(client: pg.Client, scale = 1): Promise<void> {
  await client.query(readFileSync(fixture('church-schema.sql'), 'utf8'))
  await client.query(readFileSync(fixture('church-data.sql'), 'utf8').replaceAll(':scale', String(scale)))
}

/**
 * A throwaway server for the calling test file, with the dataset in database `church` (a template
 * for each test's copy): started before the file's tests, stopped after them.
 */
export function churchServer(): () => PostgresHandle {
  let server: PostgresHandle | undefined
  beforeAll(async () => {
    server = await startTestPostgres()
    await server.createDatabase('church')
    await using client = await connect(server.urlFor('church'))
    await loadChurchDataset(client)
  })
  afterAll(async () => server?.stop())
  return () => server!
}

/** Row counts of the joins a staging user relies on, by value and by key. */
export async function joinCounts(client: pg.Client): Promise<Record<string, number>> {
  const q = async (sql: string) => Number((await client.query(sql)).rows[0].n)
  return {
    usersChurches: await q('SELECT count(*) AS n FROM users u JOIN churches c ON c.id = u.church_id'),
    messagesContacts: await q('SELECT count(*) AS n FROM messages m JOIN contacts c ON c.id = m.contact_id'),
    messagesByPhone: await q('SELECT count(*) AS n FROM messages m JOIN contacts c ON c.phone = m.to_phone'),
    loginsUsers: await q('SELECT count(*) AS n FROM login_events l JOIN users u ON u.email = l.user_email'),
    contactsUsersByEmail: await q('SELECT count(*) AS n FROM contacts c JOIN users u ON lower(c.email) = lower(u.email)'),
    directory: await q('SELECT count(*) AS n FROM contact_directory'),
  }
}

/** Every original value that must not survive masking. */
export async function originalValues(client: pg.Client): Promise<{ exact: string[]; phones: string[] }> {
  const col = async (sql: string) => (await client.query(sql)).rows.map((r) => r.v as string).filter((v) => v && v.length >= 6)
  const exact = [
    ...(await col('SELECT email AS v FROM users')),
    ...(await col('SELECT full_name AS v FROM users')),
    ...(await col('SELECT password_hash AS v FROM users')),
    ...(await col('SELECT api_token AS v FROM users')),
    ...(await col('SELECT twilio_account_sid AS v FROM churches')),
    ...(await col('SELECT email AS v FROM contacts')),
    ...(await col("SELECT metadata #>> '{guardian,email}' AS v FROM contacts")),
    ...(await col("SELECT metadata #>> '{guardian,name}' AS v FROM contacts")),
    ...(await col("SELECT jsonb_array_elements_text(metadata -> 'emails') AS v FROM contacts")),
    ...(await col('SELECT address AS v FROM contacts')),
    ...(await col('SELECT provider_message_id AS v FROM messages')),
  ]
  const phones = [...(await col('SELECT phone AS v FROM users')), ...(await col('SELECT phone AS v FROM contacts')), ...(await col("SELECT DISTINCT substring(body from '\\(512\\) 555-\\d{4}') AS v FROM messages"))]
  return { exact: [...new Set(exact)], phones: [...new Set(phones)] }
}

/**
 * Independent of the sanitizer's own scan: plain SQL over every text and JSON column (JSON string
 * leaves included) looking for each original value whole (case-insensitive), for each email-like
 * substring, and for any 9-digit window of a standalone digit run (not inside a hex word) that
 * equals the end of an original phone.
 */
export async function findOriginals(client: pg.Client, originals: { exact: string[]; phones: string[] }): Promise<string[]> {
  const cols = (await client.query(`SELECT c.table_name AS t, c.column_name AS c, c.data_type AS type FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type IN ('text', 'character varying', 'jsonb', 'json')`)).rows
  await client.query('CREATE TEMP TABLE IF NOT EXISTS orig_exact (v text); CREATE TEMP TABLE IF NOT EXISTS orig_tail (v text); TRUNCATE orig_exact, orig_tail')
  await client.query('INSERT INTO orig_exact SELECT DISTINCT lower(x) FROM unnest($1::text[]) x', [originals.exact])
  await client.query(`INSERT INTO orig_tail SELECT DISTINCT right(regexp_replace(x, '[^0-9]', '', 'g'), 9) FROM unnest($1::text[]) x`, [originals.phones])
  await client.query('ANALYZE orig_exact; ANALYZE orig_tail')
  const found: string[] = []
  for (const { t, c, type } of cols) {
    const values = type.startsWith('json')
      ? `SELECT x."${c}"::text AS v FROM "${t}" x UNION ALL SELECT j #>> '{}' FROM "${t}" x, jsonb_path_query(x."${c}"::jsonb, 'strict $.** ? (@.type() == "string")') j`
      : `SELECT x."${c}"::text AS v FROM "${t}" x`
    const { rows } = await client.query(`WITH vals AS (${values}),
      words AS (SELECT lower(v) AS w FROM vals UNION ALL SELECT lower(m[1]) FROM vals, regexp_matches(v, '([[:alnum:]._%+-]+@[[:alnum:].-]+[[:alnum:]])', 'g') m),
      runs AS (SELECT m[1] AS r FROM vals, regexp_matches(regexp_replace(v, '[ ()+.-]', '', 'g'), '(?<![[:alnum:]_])([0-9]{9,})(?![[:alnum:]_])', 'g') m),
      tails AS (SELECT substr(r, i, 9) AS d FROM runs, generate_series(1, length(r) - 8) i)
      SELECT (SELECT count(*) FROM words JOIN orig_exact o ON o.v = words.w) AS exact, (SELECT count(*) FROM tails JOIN orig_tail o ON o.v = tails.d) AS phones`)
    if (Number(rows[0].exact)) found.push(`${t}.${c}: ${rows[0].exact} original value(s)`)
    if (Number(rows[0].phones)) found.push(`${t}.${c}: ${rows[0].phones} original phone(s)`)
  }
  return found
}
