/**
 * The UK GDPR export and erasure follow db/types/account-references.ts, not the database's
 * catalogue. This keeps that list complete: every foreign key to account(id) in the schema (read
 * from SQLite's pragma_foreign_key_list or PostgreSQL's information_schema, on each dialect) is
 * listed with its ON DELETE rule, and every table of subscriptions by address is listed.
 */
import { sql } from "kysely";
import { expect, it } from "vitest";
import { dialect, getDb } from "../../db/index";
import { ACCOUNT_REFERENCES, EMAIL_KEYED_TABLES } from "../../db/types/account-references";

type ForeignKey = { table: string; column: string; onDelete: string };

async function foreignKeysToAccount(): Promise<ForeignKey[]> {
  const db = getDb();
  const { rows } =
    dialect() === "postgres"
      ? await sql<ForeignKey>`
          SELECT kcu.table_name AS "table", kcu.column_name AS "column", rc.delete_rule AS "onDelete"
          FROM information_schema.referential_constraints rc
          JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = rc.constraint_schema AND kcu.constraint_name = rc.constraint_name
          JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_schema = rc.unique_constraint_schema AND ccu.constraint_name = rc.unique_constraint_name
          WHERE kcu.table_schema = current_schema() AND ccu.table_name = 'account'`.execute(db)
      : await sql<ForeignKey>`
          SELECT m.name AS "table", f."from" AS "column", f.on_delete AS "onDelete"
          FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
          WHERE m.type = 'table' AND f."table" = 'account'`.execute(db);
  return rows.map((r) => ({ ...r, onDelete: r.onDelete.toUpperCase() }));
}

const key = (r: ForeignKey) => `${r.table}.${r.column} ${r.onDelete}`;

it("lists exactly the schema's references to account(id), with their ON DELETE rules", async () => {
  const inSchema = (await foreignKeysToAccount()).map(key).sort();
  expect(inSchema.length).toBeGreaterThan(30);
  expect([...ACCOUNT_REFERENCES].map(key).sort()).toEqual(inSchema);
});

it("lists every table of subscriptions or consents kept by email address", async () => {
  const tables = await getDb().introspection.getTables();
  const byEmail = tables
    .filter((t) => !t.isView && /subscri|consent/i.test(t.name) && t.columns.some((c) => c.name === "email"))
    .map((t) => t.name)
    .sort();
  expect([...EMAIL_KEYED_TABLES].sort()).toEqual(byEmail);
});
