import { describe, expect, it } from 'vitest'
import { connect, startTestPostgres } from '../../helpers/pg.js'
import { fillSynthetic } from '../../../src/snapshot/synthetic.js'
import { takeBaseline } from '../../../src/snapshot/baseline.js'

const SCHEMA = `
CREATE TYPE "Role" AS ENUM ('ADMIN', 'MEMBER', 'GUEST');
CREATE TABLE "Church" (id serial PRIMARY KEY, name varchar(40) NOT NULL, slug text NOT NULL UNIQUE, "createdAt" timestamp(3) NOT NULL DEFAULT now());
CREATE TABLE "User" (id text PRIMARY KEY, email text NOT NULL UNIQUE, role "Role" NOT NULL DEFAULT 'MEMBER',
  "churchId" integer NOT NULL REFERENCES "Church"(id), "invitedById" text REFERENCES "User"(id), age smallint CHECK (age >= 0 AND age < 150),
  balance numeric(8,2) NOT NULL, active boolean NOT NULL, tags text[], meta jsonb);
CREATE TABLE "Contact" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "churchId" integer NOT NULL REFERENCES "Church"(id),
  phone varchar(20) NOT NULL, "optedOut" boolean NOT NULL DEFAULT false, UNIQUE ("churchId", phone), uid uuid NOT NULL);
CREATE TABLE "UserContact" ("userId" text NOT NULL REFERENCES "User"(id), "contactId" bigint NOT NULL REFERENCES "Contact"(id), PRIMARY KEY ("userId", "contactId"));
`

describe('synthetic snapshot', () => {
  it('fills every table respecting keys, enums and checks, reproducibly per seed', async () => {
    await using server = await startTestPostgres()
    const fingerprints: string[] = []
    for (const [db, seed] of [['a', 7], ['b', 7], ['c', 8]] as const) {
      const url = await server.createDatabase(db)
      await using client = await connect(url)
      await client.query(SCHEMA)
      const result = await fillSynthetic(client, { rows: 300, seed })
      const order = result.tables.map((t) => t.name)
      expect(order.indexOf('Church')).toBeLessThan(order.indexOf('User'))
      expect(order.indexOf('Contact')).toBeLessThan(order.indexOf('UserContact'))
      expect(order.indexOf('User')).toBeLessThan(order.indexOf('UserContact'))
      for (const t of ['Church', 'User', 'Contact', 'UserContact'])
        expect((await client.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n).toBe(300)
      // Self-references point at real rows, and the sequence continues after the generated keys.
      expect((await client.query(`SELECT count(*)::int AS n FROM "User" WHERE "invitedById" IS NOT NULL`)).rows[0].n).toBeGreaterThan(200)
      await client.query(`INSERT INTO "Church" (name, slug) VALUES ('new', 'new-church')`)
      await client.query(`INSERT INTO "Contact" ("churchId", phone, uid) VALUES (1, 'x', gen_random_uuid())`)
      const baseline = await takeBaseline(client)
      await client.query(`DELETE FROM "Church" WHERE slug = 'new-church'`)
      await client.query(`DELETE FROM "Contact" WHERE phone = 'x'`)
      fingerprints.push(JSON.stringify((await takeBaseline(client)).tables))
      expect(baseline.tables.Church.rows).toBe(301)
    }
    expect(fingerprints[0]).toBe(fingerprints[1])
    expect(fingerprints[0]).not.toBe(fingerprints[2])
  })
})
