import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../src/migrations/down/diff-schemas.js'
import type { SchemaDescription } from '../../src/migrations/down/introspect-schema.js'

const empty: SchemaDescription = { schemas: ['public'], extensions: [], enums: [], sequences: [], tables: [], constraints: [], indexes: [], views: [], functions: [], triggers: [] }
const withEnum = (labels: string[]): SchemaDescription => ({ ...empty, enums: [{ key: '"Interval"', schema: 'public', name: 'Interval', labels }] })

describe('diffSchemas on enums', () => {
  it('adds back removed values in place, naming neighbours that exist at that point', () => {
    const { statements } = diffSchemas(withEnum(['month', 'year']), withEnum(['day', 'week', 'month', 'year', 'decade']))
    expect(statements).toEqual([
      `ALTER TYPE "Interval" ADD VALUE 'day' BEFORE 'month'`,
      `ALTER TYPE "Interval" ADD VALUE 'week' AFTER 'day'`,
      `ALTER TYPE "Interval" ADD VALUE 'decade' AFTER 'year'`,
    ])
  })

  it('re-creates the type when values must disappear (Postgres cannot drop an enum value)', () => {
    const { statements } = diffSchemas(withEnum(['a', 'b', 'c']), withEnum(['a', 'c']))
    expect(statements[0]).toBe(`ALTER TYPE "Interval" RENAME TO "Interval_old"`)
    expect(statements[1]).toBe(`CREATE TYPE "Interval" AS ENUM ('a', 'c')`)
    expect(statements.at(-1)).toBe(`DROP TYPE "Interval_old"`)
  })
})
