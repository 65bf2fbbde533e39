import { STRATEGIES } from './strategies/index.js'
import type { ParamSpec } from './strategies/strategy.js'

/** Where the package ships the schema: `# yaml-language-server: $schema=./node_modules/koinonia-db/<this>`. */
export const RULES_SCHEMA_PATH = 'schema/sanitize-rules.schema.json'

/**
 * The rules file's JSON Schema (draft-07), made from the strategies' own parameter lists, so editors
 * complete and check a sanitize.yaml as it is written. The loader (rules.ts) checks the same and
 * what a schema cannot (columns against the database, conflicts with the Prisma schema, a reference's
 * table and column); `npm run docs` writes it (RULES_SCHEMA_PATH).
 */
export function sanitizeRulesSchema(): Record<string, unknown> {
  const names = Object.keys(STRATEGIES).sort()
  const objects = names.map((name) => {
    const strategy = STRATEGIES[name]
    const properties: Record<string, unknown> = { strategy: { const: name } }
    for (const [key, spec] of Object.entries(strategy.params)) properties[key] = { ...typeOf(spec), description: spec.description, ...spec.schema }
    return { type: 'object', description: strategy.summary, required: ['strategy', ...(strategy.required ?? [])], additionalProperties: false, properties }
  })
  const column = 'table.column, or schema.table.column'
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'koinonia-db sanitize rules (version 1)',
    description: 'Every column of every table is masked with a strategy or kept. docs/sanitize.md explains each strategy.',
    type: 'object',
    required: ['version', 'tables'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'this schema, for editors' },
      version: { const: 1 },
      tables: {
        type: 'object',
        description: 'Tables by name (public. is the default schema): keep, or each column with its rule.',
        additionalProperties: { $ref: '#/definitions/table' },
      },
      references: {
        type: 'array',
        description: 'Columns that hold another column\'s values without a foreign key: they are masked the same way.',
        items: {
          type: 'object',
          required: ['from', 'to'],
          additionalProperties: false,
          properties: {
            from: { type: 'string', pattern: '^[^.]+(\\.[^.]+){1,2}$', description: `The referencing column: ${column}.` },
            to: { type: 'string', pattern: '^[^.]+(\\.[^.]+){1,2}$', description: `The column it points to: ${column}.` },
          },
        },
      },
    },
    definitions: {
      table: {
        oneOf: [
          { const: 'keep', description: 'The whole table holds no personal data (the leak scan still searches it).' },
          { type: 'object', description: 'Each column: a strategy name, or { strategy, ...parameters }.', additionalProperties: { $ref: '#/definitions/rule' } },
        ],
      },
      rule: {
        oneOf: [
          // A strategy that needs parameters cannot be named alone.
          { enum: names.filter((name) => !STRATEGIES[name].required?.length) },
          ...objects,
        ],
      },
    },
  }
}

function typeOf(spec: ParamSpec): Record<string, unknown> {
  return spec.type === 'any' ? {} : { type: spec.type }
}
