import type pg from 'pg'
import { tableExists } from '../postgres/table-exists.js'
import { NAME_FPS_TABLE, PERSON_NAMES_TABLE, STREET_FPS_TABLE } from './sql-functions.js'

/**
 * Progress lives in the target itself, written in the same transaction as each table's rewrite:
 * a row here means that table is fully masked, so a rerun skips it and finishes the rest.
 */
export const STATE_DDL = `
CREATE SCHEMA IF NOT EXISTS koinonia_sanitize;
CREATE TABLE IF NOT EXISTS koinonia_sanitize.state (
  table_name text PRIMARY KEY,
  key_id text NOT NULL,
  run_id text NOT NULL,
  rows bigint NOT NULL,
  masked_at timestamptz NOT NULL DEFAULT now()
);
-- Keyed fingerprints (10-byte keyed SHA-256 under a key never stored) of the original values, for
-- the leak scan: here those found in free text and JSON; whole values are in fp_<table oid> tables
-- (one row per source row, fingerprints concatenated); email columns and default-domain hash
-- and hash columns listed in fingerprint_columns hold them in their fakes (hex_tail: a hash fake's
-- length in hex digits after its kept prefix; NULL for an email fake).
CREATE UNLOGGED TABLE IF NOT EXISTS koinonia_sanitize.fingerprints (fp bytea NOT NULL);
CREATE TABLE IF NOT EXISTS koinonia_sanitize.fingerprint_columns (table_name text NOT NULL, column_name text NOT NULL);
ALTER TABLE koinonia_sanitize.fingerprint_columns ADD COLUMN IF NOT EXISTS hex_tail int;`

/** Tables of whole-value fingerprints, one per masked table, written in that table's transaction. */
export const FP_TABLE_PREFIX = 'fp_'

export interface StateRow {
  table: string
  keyId: string
  runId: string
  rows: number
}

export async function ensureState(client: pg.Client): Promise<void> {
  await client.query(STATE_DDL)
}

export async function readState(client: pg.Client): Promise<Map<string, StateRow>> {
  if (!(await tableExists(client, 'koinonia_sanitize.state'))) return new Map()
  const rows = (await client.query('SELECT table_name, key_id, run_id, rows FROM koinonia_sanitize.state')).rows
  return new Map(rows.map((r) => [r.table_name, { table: r.table_name, keyId: r.key_id, runId: r.run_id, rows: Number(r.rows) }]))
}

export async function markMasked(client: pg.Client, row: StateRow): Promise<void> {
  await client.query('INSERT INTO koinonia_sanitize.state (table_name, key_id, run_id, rows) VALUES ($1, $2, $3, $4)', [row.table, row.keyId, row.runId, row.rows])
}

/** Our tables in koinonia_sanitize whose name matches `namePattern` (a regex) and the SQL condition `where` on c.relname, quoted. */
export async function stateTables(client: pg.Client, namePattern: string, where = 'true'): Promise<string[]> {
  const { rows } = await client.query(`SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'koinonia_sanitize' AND c.relkind = 'r' AND c.relname ~ $1 AND ${where} ORDER BY c.relname`, [namePattern])
  return rows.map((r) => r.t as string)
}

/** The per-table fingerprint tables (`koinonia_sanitize.fp_<oid>`), quoted. */
export function fingerprintTables(client: pg.Client): Promise<string[]> {
  return stateTables(client, `^${FP_TABLE_PREFIX}`)
}

/** After a complete run and scan: the fingerprints have done their job. */
export async function dropFingerprints(client: pg.Client): Promise<void> {
  const tables = ['koinonia_sanitize.fingerprints', 'koinonia_sanitize.fingerprint_columns', NAME_FPS_TABLE, PERSON_NAMES_TABLE, STREET_FPS_TABLE, ...(await fingerprintTables(client))]
  await client.query(`DROP TABLE IF EXISTS ${tables.join(', ')}`)
}

/** Forget a previous run (refresh-staging restores fresh data over it). */
export async function resetState(client: pg.Client): Promise<void> {
  await dropFingerprints(client)
  await client.query('DROP TABLE IF EXISTS koinonia_sanitize.state')
}
