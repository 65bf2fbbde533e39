// A seeded generator of realistic migration SQL: the statement mix of real Prisma / Rails / plain SQL
// histories (tables, columns, renames, type changes, indexes, FKs, backfills, enums, drops).

/** mulberry32: tiny, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = ['user', 'account', 'order', 'invoice', 'payment', 'product', 'team', 'project', 'session', 'event', 'comment', 'document', 'tag', 'webhook', 'address']
const COLUMN_WORDS = ['email', 'name', 'status', 'amount', 'note', 'title', 'slug', 'kind', 'region', 'locale', 'score', 'owner', 'rank', 'label', 'code']
const TYPES = ['text', 'integer', 'bigint', 'boolean', 'timestamp(3)', 'timestamptz', 'varchar(64)', 'jsonb', 'numeric(12,2)', 'uuid']

/**
 * Returns `{ sql, statements }` with about `count` statements. Tables named `legacy_*` exist
 * before the migration (changes to them matter); the others are created inside it.
 */
export function generateMigration(count, seed = 42) {
  const random = rng(seed)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const existing = Array.from({ length: 40 }, (_, i) => `legacy_${pick(WORDS)}_${i}`)
  const created = []
  const enums = []
  let serial = 0
  const table = () => (created.length && random() < 0.3 ? pick(created) : pick(existing))
  const column = () => `${pick(COLUMN_WORDS)}_${serial++}`
  const quoted = (name) => (random() < 0.5 ? `"${name}"` : name)

  const makers = [
    [8, () => {
      const name = `${pick(WORDS)}_${serial++}`
      created.push(name)
      const cols = Array.from({ length: 2 + Math.floor(random() * 6) }, () => `    "${column()}" ${pick(TYPES)}${random() < 0.4 ? ' NOT NULL' : ''}`)
      return `-- CreateTable\nCREATE TABLE "${name}" (\n    "id" SERIAL NOT NULL,\n${cols.join(',\n')},\n    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n\n    CONSTRAINT "${name}_pkey" PRIMARY KEY ("id")\n);`
    }],
    [10, () => `ALTER TABLE ${quoted(table())} ADD COLUMN "${column()}" ${pick(TYPES)};`],
    [4, () => `ALTER TABLE ${quoted(table())} ADD COLUMN "${column()}" integer NOT NULL DEFAULT 0;`],
    [3, () => `ALTER TABLE ${quoted(table())} ADD COLUMN "${column()}" text NOT NULL;`],
    [2, () => `ALTER TABLE ${quoted(table())} ADD COLUMN "${column()}" uuid NOT NULL DEFAULT gen_random_uuid();`],
    [4, () => `ALTER TABLE ${quoted(table())} DROP COLUMN "${column()}";`],
    [3, () => `ALTER TABLE ${quoted(table())} RENAME COLUMN "${column()}" TO "${column()}";`],
    [1, () => `ALTER TABLE ${quoted(pick(existing))} RENAME TO ${pick(WORDS)}_${serial++};`],
    [4, () => `ALTER TABLE ${quoted(table())} ALTER COLUMN "${column()}" TYPE ${pick(['text', 'bigint', 'varchar(255)', 'numeric(14,2)'])};`],
    [3, () => `ALTER TABLE ${quoted(table())} ALTER COLUMN "${column()}" SET NOT NULL;`],
    [2, () => `ALTER TABLE ${quoted(table())} ALTER COLUMN "${column()}" DROP NOT NULL;`],
    [2, () => `ALTER TABLE ${quoted(table())} ALTER COLUMN "${column()}" SET DEFAULT ${pick(["'active'", '0', 'now()', 'false'])};`],
    [8, () => {
      const t = table()
      const col = column()
      return `-- CreateIndex\nCREATE ${random() < 0.3 ? 'UNIQUE ' : ''}INDEX "${t}_${col}_idx" ON "${t}"("${col}");`
    }],
    [3, () => `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${pick(WORDS)}_${serial++}_idx ON ${quoted(table())} (${column()}, ${column()});`],
    [2, () => `DROP INDEX ${random() < 0.5 ? 'CONCURRENTLY ' : ''}IF EXISTS "${pick(WORDS)}_${serial++}_idx";`],
    [5, () => {
      const t = table()
      const col = column()
      return `-- AddForeignKey\nALTER TABLE "${t}" ADD CONSTRAINT "${t}_${col}_fkey" FOREIGN KEY ("${col}") REFERENCES "${table()}"("id") ON DELETE ${pick(['RESTRICT', 'CASCADE', 'SET NULL'])} ON UPDATE CASCADE${random() < 0.3 ? ' NOT VALID' : ''};`
    }],
    [2, () => `ALTER TABLE ${quoted(table())} VALIDATE CONSTRAINT "${pick(WORDS)}_${serial++}_fkey";`],
    [2, () => `ALTER TABLE ${quoted(table())} ADD CONSTRAINT ${pick(WORDS)}_${serial++}_check CHECK (${column()} >= 0)${random() < 0.5 ? ' NOT VALID' : ''};`],
    [4, () => `UPDATE ${quoted(table())} SET "${column()}" = ${pick(["'unknown'", '0', 'lower(email)', 'now()'])} WHERE "${column()}" IS NULL;`],
    [1, () => `DELETE FROM ${quoted(table())} WHERE "${column()}" < now() - interval '90 days';`],
    [2, () => {
      const name = `${pick(WORDS)}_kind_${serial++}`
      enums.push(name)
      return `-- CreateEnum\nCREATE TYPE "${name}" AS ENUM ('A', 'B', 'C');`
    }],
    [2, () => `ALTER TYPE "${enums.length ? pick(enums) : 'Role'}" ADD VALUE IF NOT EXISTS 'V${serial++}';`],
    [1, () => `DROP TABLE IF EXISTS ${quoted(pick(existing))};`],
    [1, () => `COMMENT ON COLUMN ${quoted(table())}.${column()} IS 'set by the ${pick(WORDS)} service';`],
    [1, () => `ALTER TABLE ${quoted(table())} ADD PRIMARY KEY (${column()});`],
    [1, () => `TRUNCATE ${quoted(pick(existing))};`],
    [1, () => `VACUUM ANALYZE ${quoted(table())};`],
  ]
  const total = makers.reduce((n, [w]) => n + w, 0)
  const out = []
  for (let i = 0; i < count; i++) {
    let r = random() * total
    for (const [weight, make] of makers) {
      r -= weight
      if (r <= 0) {
        out.push(make())
        break
      }
    }
  }
  return { sql: `${out.join('\n\n')}\n`, statements: out.length }
}
