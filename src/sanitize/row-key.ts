import { quoteIdent, quoteLiteral } from '../postgres/sql.js'

/** SQL naming a row in reports: `id=42` from the primary key, else its ctid. Never a masked value. */
export function rowKeySql(primaryKey: string[], alias = ''): string {
  const p = alias ? `${alias}.` : ''
  if (!primaryKey.length) return `'ctid=' || ${p}ctid::text`
  return `concat_ws(', ', ${primaryKey.map((c) => `${quoteLiteral(`${c}=`)} || ${p}${quoteIdent(c)}::text`).join(', ')})`
}

/** `public.users` → `"public"."users"`. */
export function tableSql(qualified: string): string {
  const i = qualified.indexOf('.')
  return `${quoteIdent(qualified.slice(0, i))}.${quoteIdent(qualified.slice(i + 1))}`
}
