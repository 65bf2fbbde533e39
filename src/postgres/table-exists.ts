import type pg from 'pg'

/** Whether `name` (a table name as SQL reads it: `schema.table`, quoted parts allowed) names a relation. */
export async function tableExists(client: pg.ClientBase, name: string): Promise<boolean> {
  const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [name])
  return rows[0].present === true
}
