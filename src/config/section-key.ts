import type { ConfigKey } from './config-key.js'
import { camelCase, type AnyFlagSpec, type SectionOf } from './flag-spec.js'
import { objectKey } from './value-keys.js'

/**
 * A command's config section, made from its flag table: every flag of scope `section` is a key of
 * the same (camel-case) name, checked by the flag's own validator. Old names (`aliases`) are still read.
 */
/** A section's key: its fields are the validators by key name (the flag-table test checks they are the flags' own). */
export type SectionKey<T> = ConfigKey<T> & { fields: Readonly<Record<string, ConfigKey>> }

export function sectionKey<F extends Record<string, AnyFlagSpec>>(section: string, flags: F): SectionKey<SectionOf<F>> {
  const fields: Record<string, ConfigKey> = {}
  for (const [flag, spec] of Object.entries(flags)) {
    if (spec.scope !== 'section' || spec.noConfig) continue
    for (const name of [camelCase(flag), ...(spec.aliases ?? [])]) {
      if (fields[name] && fields[name] !== spec.key) throw new Error(`config key ${section}.${name} is declared twice with different validators`)
      fields[name] = spec.key
    }
  }
  const key = objectKey(`an object of ${section} settings: ${Object.keys(fields).join(', ')}`, fields) as ConfigKey<SectionOf<F>>
  return Object.freeze({ allowed: key.allowed, parse: key.parse, schema: key.schema, fields: Object.freeze(fields) })
}
