import { CONFIG_KEYS } from './keys.js'
import { objectSchema } from './value-keys.js'

/** Where the package ships it: `"$schema": "./node_modules/koinonia-db/<this>"` in koinonia.config.json. */
export const CONFIG_SCHEMA_PATH = 'schema/koinonia-config.schema.json'

/**
 * koinonia.config.json / .yaml as JSON Schema (draft-07), made from the keys' own schemas
 * (ConfigKey.schema), so editors complete and check the file. The loader checks the same, and
 * what a schema cannot say (a path that exists, a rule id `lint --disable` names). `npm run docs`
 * writes it.
 */
export function configSchema(): Record<string, unknown> {
  const schema = objectSchema('Settings every command reads, then each command\'s own section; flags win over the file. docs/config.md lists every key.', CONFIG_KEYS)
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'koinonia-db config (koinonia.config.json, .yaml or .yml)',
    ...schema,
    properties: { $schema: { type: 'string', description: 'this schema, for editors' }, ...(schema.properties as object) },
  }
}
