import { type Kysely, sql } from "kysely";
import { createTrigger, dropTrigger } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// account.email_normalized: the address trimmed and lower-cased, unique, and what every lookup by
// address compares with (equality on both engines, rather than SQLite's COLLATE NOCASE or lower()
// in a query). Filled here for existing accounts and kept by triggers on every insert and every
// change of address, so no code path can forget it.

const SET = "UPDATE account SET email_normalized = lower(trim(NEW.email)) WHERE id = NEW.id;";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("account").addColumn("email_normalized", "text").execute();
  await sql`UPDATE account SET email_normalized = lower(trim(email))`.execute(db);
  await db.schema.createIndex("account_email_normalized_idx").on("account").column("email_normalized").unique().execute();
  await createTrigger(db, { name: "account_email_normalized_ai", table: "account", when: "AFTER INSERT", body: SET });
  await createTrigger(db, { name: "account_email_normalized_au", table: "account", when: "AFTER UPDATE OF email", body: SET });
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, "account_email_normalized_au", "account");
  await dropTrigger(db, "account_email_normalized_ai", "account");
  await db.schema.dropIndex("account_email_normalized_idx").execute();
  await db.schema.alterTable("account").dropColumn("email_normalized").execute();
}
