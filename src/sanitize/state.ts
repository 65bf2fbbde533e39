import type pg from 'pg'

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
-- Keyed fingerprints (10-byte keyed SHA-256 under a key never stored, concatenated per source row) of the original values, for the leak scan.
CREATE UNLOGGED TABLE IF NOT EXISTS koinonia_sanitize.fingerprints (fp bytea NOT NULL);`

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
  const exists = (await client.query(`SELECT to_regclass('koinonia_sanitize.state') IS NOT NULL AS ok`)).rows[0].ok
  if (!exists) return new Map()
  const rows = (await client.query('SELECT table_name, key_id, run_id, rows FROM koinonia_sanitize.state')).rows
  return new Map(rows.map((r) => [r.table_name, { table: r.table_name, keyId: r.key_id, runId: r.run_id, rows: Number(r.rows) }]))
}

export async function markMasked(client: pg.Client, row: StateRow): Promise<void> {
  await client.query('INSERT INTO koinonia_sanitize.state (table_name, key_id, run_id, rows) VALUES ($1, $2, $3, $4)', [row.table, row.keyId, row.runId, row.rows])
}

/** After a complete run and scan: the fingerprints have done their job. */
export async function dropFingerprints(client: pg.Client): Promise<void> {
  await client.query('DROP TABLE IF EXISTS koinonia_sanitize.fingerprints')
}

/** Forget a previous run (refresh-staging restores fresh data over it). */
export async function resetState(client: pg.Client): Promise<void> {
  await client.query('DROP TABLE IF EXISTS koinonia_sanitize.state, koinonia_sanitize.fingerprints')
}
